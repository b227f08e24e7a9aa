#!/usr/bin/env python3
"""After scripts/easyrec_train.sh: EasyRec's loss curve and AUC, and its trained embeddings.

  easyrec_embeddings.py EXPORT_DIR MODEL_DIR

Prints the training loss every tenth of the run and each evaluation's AUC (from MODEL_DIR's
TensorFlow event files), exports the trained model as a SavedModel (EasyRec's own export), runs
its towers on EXPORT_DIR/users.csv and EXPORT_DIR/items.csv (one row per entity, written by
`dropoutnet export easyrec --out DIR`) and writes EXPORT_DIR/embeddings/user_embeddings.csv and
item_embeddings.csv ('id,v1,v2,…'), which `dropoutnet eval --checkpoint F --embeddings DIR`
scores with the workbench's evaluator. Runs in the virtualenv easyrec_train.sh makes.

When the export wrote EXPORT_DIR/item_log_q.csv (the workbench trained with negatives.logq),
the written vectors rank as γ·cosine + log q(item): EasyRec trains its in-batch softmax without
the logQ correction, so its cosine learns log p(item | user) − log q(item) and the correction is
applied here instead — user [u, 1], item [v, log q / γ] (γ = softmax_loss.gamma). EasyRec's own
l2-normalised vectors go to EXPORT_DIR/embeddings_cosine/ (ranking by cosine alone).
"""
import csv
import glob
import os
import re
import subprocess
import sys

import numpy as np
import tensorflow as tf


def scalars(event_dir, tags):
    out = {}
    for f in sorted(glob.glob(os.path.join(event_dir, "events.out.tfevents.*"))):
        for e in tf.compat.v1.train.summary_iterator(f):
            for v in e.summary.value:
                if v.tag in tags:
                    value = v.simple_value if v.HasField("simple_value") else float(tf.make_ndarray(v.tensor))
                    out.setdefault(v.tag, {})[e.step] = value
    return out


def logged_losses(log):
    """step -> total_loss from EasyRec's training log (it logs every 10 steps; the event files
    hold a summary only every save_summary_steps)."""
    curve = {}
    if os.path.exists(log):
        for line in open(log, errors="replace"):
            m = re.search(r"global step (\d+):.*total_loss = ([-0-9.eE+naif]+)", line)
            if m:
                curve[int(m.group(1))] = float(m.group(2))
    return curve


def report_training(model_dir, log):
    curve = logged_losses(log)
    if not curve:
        train = scalars(model_dir, {"loss", "loss/loss/total_loss", "loss/total_loss"})
        curve = next(iter(train.values()), {})
    if curve:
        steps = sorted(curve)
        shown = sorted({steps[min(len(steps) - 1, round(k * (len(steps) - 1) / 10))] for k in range(11)})
        print("EasyRec training loss:  " + "  ".join(f"{s}: {curve[s]:.4f}" for s in shown))
    evals = scalars(os.path.join(model_dir, "eval_val"), {"auc", "loss/loss/total_loss"})
    auc = evals.get("auc", {})
    if auc:
        print("EasyRec eval AUC:       " + "  ".join(f"{s}: {auc[s]:.4f}" for s in sorted(auc)))
    else:
        print("EasyRec eval AUC: none recorded (no evaluation ran)")


def export_saved_model(export_dir, model_dir):
    out = os.path.join(model_dir, "saved_model")
    if not glob.glob(os.path.join(out, "*", "saved_model.pb")):
        subprocess.run([sys.executable, "-m", "easy_rec.python.export",
                        "--pipeline_config_path", os.path.join(export_dir, "pipeline.config"),
                        "--export_dir", out], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sorted(glob.glob(os.path.join(out, "*", "saved_model.pb")))[-1].rsplit("/", 1)[0]


def input_fields(export_dir):
    config = open(os.path.join(export_dir, "pipeline.config")).read()
    return re.findall(r'input_fields \{\s*input_name: "([^"]+)"', config)


def embed(saved_model, export_dir, file, output, id_column, batch=1024):
    names = input_fields(export_dir)
    with open(os.path.join(export_dir, file), newline="") as fh:
        rows = list(csv.reader(fh))
    with tf.compat.v1.Session(graph=tf.Graph()) as sess:
        meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], saved_model)
        sig = meta.signature_def["serving_default"]
        outputs = {k: v.name for k, v in sig.outputs.items()}
        key = "float_" + output if "float_" + output in outputs else output
        inputs = {k: sess.graph.get_tensor_by_name(v.name) for k, v in sig.inputs.items()}
        vectors = []
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            feed = {}
            for name, tensor in inputs.items():
                col = [r[names.index(name)] for r in chunk]
                if tensor.dtype == tf.string:
                    feed[tensor] = np.array(col, dtype=object)
                else:
                    feed[tensor] = np.array([float(x) if x else 0 for x in col], dtype=tensor.dtype.as_numpy_dtype)
            got = sess.run(outputs[key], feed_dict=feed)
            for g in got:
                vectors.append([float(x) for x in g.decode().split(",")] if isinstance(g, bytes) else list(map(float, g)))
    ids = [r[names.index(id_column)] for r in rows]
    return ids, vectors


def gamma(export_dir):
    config = open(os.path.join(export_dir, "pipeline.config")).read()
    m = re.search(r"softmax_loss \{[^}]*?\bgamma: ([-0-9.eE+]+)", config)
    return float(m.group(1)) if m else 1.0


def item_log_q(export_dir):
    """id -> log q(item) from the export's item_log_q.csv, or None without one."""
    path = os.path.join(export_dir, "item_log_q.csv")
    if not os.path.exists(path):
        return None
    with open(path, newline="") as fh:
        return {row[0]: float(row[1]) for row in csv.reader(fh) if row}


def write(path, ids, vectors):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        for i, v in zip(ids, vectors):
            fh.write(i + "," + ",".join(repr(x) for x in v) + "\n")
    os.replace(tmp, path)
    print(f"wrote {path}: {len(ids)} vectors of width {len(vectors[0]) if vectors else 0}")


def main():
    export_dir, model_dir = sys.argv[1], sys.argv[2]
    report_training(model_dir, os.path.join(export_dir, "easyrec_train.log"))
    saved = export_saved_model(export_dir, model_dir)
    out = os.path.join(export_dir, "embeddings")
    cosine_out = os.path.join(export_dir, "embeddings_cosine")
    log_q, g = item_log_q(export_dir), gamma(export_dir)
    for d in [out] + ([cosine_out] if log_q is not None else []):
        os.makedirs(d, exist_ok=True)
    if log_q is not None:
        print(f"ranking by {g:g}·cosine + log q(item) (the logQ correction EasyRec's training lacks); cosine alone in {cosine_out}")
    for file, output, id_column, name in [("users.csv", "user_emb", "user_id", "user_embeddings.csv"),
                                          ("items.csv", "item_emb", "item_id", "item_embeddings.csv")]:
        ids, vectors = embed(saved, export_dir, file, output, id_column)
        if log_q is None:
            write(os.path.join(out, name), ids, vectors)
            continue
        write(os.path.join(cosine_out, name), ids, vectors)
        if id_column == "user_id":
            corrected = [v + [1.0] for v in vectors]
        else:
            missing = [i for i in ids if i not in log_q]
            if missing:
                sys.exit(f"item_log_q.csv has no log q for item '{missing[0]}' ({len(missing)} missing): export again")
            corrected = [v + [log_q[i] / g] for i, v in zip(ids, vectors)]
        write(os.path.join(out, name), ids, corrected)


if __name__ == "__main__":
    main()
