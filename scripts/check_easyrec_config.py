#!/usr/bin/env python3
"""Checks that a pipeline.config parses as EasyRec's `protos.EasyRecConfig`.

EasyRec's .proto files are not part of this project. Point the script at them in one of two ways:

  --protos DIR   a directory holding `easy_rec/python/protos/*.proto` (a checkout of EasyRec);
                 compiled with grpcio-tools' protoc into a descriptor set.
  --wheel FILE   a `pai-easy-rec` wheel (`pip download --no-deps pai-easy-rec`); the serialized
                 file descriptors embedded in its generated *_pb2.py modules are loaded directly
                 (the modules themselves are never imported, so any protobuf version works).

The config must parse with `text_format.Parse` (unknown fields and bad enum values are errors)
and every required field must be set (`FindInitializationErrors` is empty): EasyRec itself
loads configs with the lenient `Merge`, but a config that passes this stricter check also
works with protoc's `--encode` without warnings.

Usage: check_easyrec_config.py (--protos DIR | --wheel FILE) CONFIG...   (exit 0 = all parse)
Needs: pip install protobuf (and grpcio-tools for --protos).
"""
import argparse
import ast
import os
import subprocess
import sys
import tempfile
import zipfile

from google.protobuf import descriptor_pb2, descriptor_pool, text_format

try:  # protobuf >= 4.21
    from google.protobuf.message_factory import GetMessageClass as _get_class
except ImportError:  # older protobuf
    from google.protobuf import message_factory

    def _get_class(descriptor):
        return message_factory.MessageFactory().GetPrototype(descriptor)


def descriptors_from_protos(root):
    proto_dir = os.path.join(root, "easy_rec", "python", "protos")
    files = sorted(os.path.join("easy_rec/python/protos", f) for f in os.listdir(proto_dir) if f.endswith(".proto"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        from grpc_tools import protoc
        import pkg_resources  # noqa: F401  (grpc_tools needs it for its bundled includes)
        include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
        rc = protoc.main(["protoc", "-I" + root, "-I" + include, "--include_imports",
                          "--descriptor_set_out=" + out] + files)
        if rc != 0:
            sys.exit("protoc failed on the .proto files in %s" % proto_dir)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return list(fds.file)


def descriptors_from_wheel(path):
    protos = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not (name.startswith("easy_rec/python/protos/") and name.endswith("_pb2.py")):
                continue
            tree = ast.parse(z.read(name).decode("utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.keyword) and node.arg in ("serialized_pb",):
                    value = node.value
                    if isinstance(value, ast.Call) and value.args:  # _b('...')
                        value = value.args[0]
                    raw = ast.literal_eval(value)
                    if isinstance(raw, str):
                        raw = raw.encode("latin1")
                    fdp = descriptor_pb2.FileDescriptorProto()
                    fdp.ParseFromString(raw)
                    protos.append(fdp)
                    break
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile" and node.args:
                    fdp = descriptor_pb2.FileDescriptorProto()
                    fdp.ParseFromString(ast.literal_eval(node.args[0]))
                    protos.append(fdp)
                    break
    if not protos:
        sys.exit("no serialized descriptors found in %s" % path)
    return protos


def build_pool(file_protos):
    pool = descriptor_pool.DescriptorPool()
    by_name = {f.name: f for f in file_protos}
    added = set()

    def add(name):
        if name in added:
            return
        if name not in by_name:
            if name.startswith("google/protobuf/"):  # well-known types ship with protobuf
                import importlib
                module = importlib.import_module(name[:-len(".proto")].replace("/", ".") + "_pb2")
                pool.AddSerializedFile(module.DESCRIPTOR.serialized_pb)
                added.add(name)
                return
            sys.exit("missing imported proto file: %s" % name)
        for dep in by_name[name].dependency:
            add(dep)
        pool.Add(by_name[name])
        added.add(name)

    for name in by_name:
        add(name)
    return pool


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--protos", help="directory containing easy_rec/python/protos/*.proto")
    source.add_argument("--wheel", help="a pai-easy-rec wheel")
    parser.add_argument("configs", nargs="+", help="pipeline.config files to check")
    args = parser.parse_args()

    files = descriptors_from_protos(args.protos) if args.protos else descriptors_from_wheel(args.wheel)
    pool = build_pool(files)
    cls = _get_class(pool.FindMessageTypeByName("protos.EasyRecConfig"))

    failed = 0
    for path in args.configs:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        message = cls()
        try:
            text_format.Parse(text, message)
        except text_format.ParseError as error:
            print("%s: parse error: %s" % (path, error))
            failed += 1
            continue
        missing = message.FindInitializationErrors()
        if missing:
            print("%s: missing required fields: %s" % (path, ", ".join(missing)))
            failed += 1
            continue
        dn = message.model_config.dropoutnet
        print("%s: OK (protos.EasyRecConfig; model_class %s; %d feature_configs; %d feature_groups; "
              "%d losses; softmax_loss.num_negative_samples %d)"
              % (path, message.model_config.model_class, len(message.feature_configs),
                 len(message.model_config.feature_groups), len(message.model_config.losses),
                 dn.softmax_loss.num_negative_samples))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
