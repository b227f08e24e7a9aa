import DropoutNet
import Foundation
import Workbench

/// The `bench … --json` shapes of DESIGN §10, written by `JSONOutput` like every other report:
/// a rate that could not be measured (a zero-length timing) is null, never `inf` or `nan`.
enum BenchReport {
    /// `bench gemm`.
    struct GEMM: Codable {
        struct Result: Codable { let backend: String; let threads, m, n, k: Int; let gflops: Double }
        let results: [Result]
    }

    /// `bench train`; `phases_ms` only with `--profile`.
    struct Train: Encodable {
        let model, backend: String
        let threads, batch: Int
        let samplesPerSecond, gflops, gemmGflops: Double
        let phases: [String: Double]?
        enum CodingKeys: String, CodingKey {
            case model, backend, threads, batch, samplesPerSecond = "samples_per_s", gflops, gemmGflops = "gemm_gflops"
            case phases = "phases_ms"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encode(backend, forKey: .backend)
            try c.encode(threads, forKey: .threads)
            try c.encode(batch, forKey: .batch)
            try c.encodeNumber(samplesPerSecond.rounded(), forKey: .samplesPerSecond)
            try c.encodeNumber((gflops * 100).rounded() / 100, forKey: .gflops)
            try c.encodeNumber((gemmGflops * 100).rounded() / 100, forKey: .gemmGflops)
            if let phases {
                var p = c.nestedContainer(keyedBy: DynamicCodingKey.self, forKey: .phases)
                for (name, ms) in phases { try p.encodeNumber((ms * 1000).rounded() / 1000, forKey: DynamicCodingKey(name)) }
            }
        }
    }

    /// `bench wmf`: one result per rank.
    struct WMF: Encodable {
        struct Result: Encodable {
            let rank, users, items, nnz: Int
            let secondsPerIteration, cpuSecondsPerIteration: Double
            let solver: String
            let threads: Int
            let finalLoss: Double
            enum CodingKeys: String, CodingKey {
                case rank, users, items, nnz, secondsPerIteration = "seconds_per_iteration"
                case cpuSecondsPerIteration = "cpu_seconds_per_iteration", solver, threads, finalLoss = "final_loss"
            }

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                for (key, n) in [(CodingKeys.rank, rank), (.users, users), (.items, items), (.nnz, nnz), (.threads, threads)] {
                    try c.encode(n, forKey: key)
                }
                try c.encodeNumber(round4(secondsPerIteration), forKey: .secondsPerIteration)
                try c.encodeNumber(round4(cpuSecondsPerIteration), forKey: .cpuSecondsPerIteration)
                try c.encode(solver, forKey: .solver)
                try c.encodeNumber(round4(finalLoss), forKey: .finalLoss)
            }

            private func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
        }
        let results: [Result]
    }

    /// `bench eval`.
    struct Eval: Encodable {
        let users, items, dim, k, threads: Int
        let usersPerSecond, gflops, gemmGFLOPs: Double
        /// The same per CPU-second (all threads): what a shared machine's other jobs move least.
        let cpuGFLOPs, gemmCPUGFLOPs: Double
        enum CodingKeys: String, CodingKey {
            case users, items, dim, k, threads, usersPerSecond = "users_per_s", gflops, gemmGFLOPs = "gemm_gflops", ofGEMM = "of_gemm"
            case cpuGFLOPs = "cpu_gflops", gemmCPUGFLOPs = "gemm_cpu_gflops", ofGEMMCPU = "of_gemm_cpu"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(users, forKey: .users)
            try c.encode(items, forKey: .items)
            try c.encode(dim, forKey: .dim)
            try c.encode(k, forKey: .k)
            try c.encode(threads, forKey: .threads)
            try c.encodeNumber((usersPerSecond * 10).rounded() / 10, forKey: .usersPerSecond)
            try c.encodeNumber((gflops * 10).rounded() / 10, forKey: .gflops)
            try c.encodeNumber((gemmGFLOPs * 10).rounded() / 10, forKey: .gemmGFLOPs)
            try c.encodeNumber((gflops / gemmGFLOPs * 1000).rounded() / 1000, forKey: .ofGEMM)
            try c.encodeNumber((cpuGFLOPs * 10).rounded() / 10, forKey: .cpuGFLOPs)
            try c.encodeNumber((gemmCPUGFLOPs * 10).rounded() / 10, forKey: .gemmCPUGFLOPs)
            try c.encodeNumber((cpuGFLOPs / gemmCPUGFLOPs * 1000).rounded() / 1000, forKey: .ofGEMMCPU)
        }
    }

    /// `bench load`.
    struct Load: Encodable {
        let lines: Int
        let parseLinesPerSecond, cachedLoadSeconds: Double
        /// After parsing and the cached reload, before the encoders.
        let peakRSSBytes: Int
        let encodeSeconds, encodeCPUSeconds: Double
        let encodedBytes: Int
        let encodePeakRSSBytes: Int
        let svd: Int
        enum CodingKeys: String, CodingKey {
            case lines, parseLinesPerSecond = "parse_lines_per_s", cachedLoadSeconds = "cached_load_seconds", peakRSSBytes = "peak_rss_bytes"
            case encodeSeconds = "encode_seconds", encodeCPUSeconds = "encode_cpu_seconds", encodedBytes = "encoded_bytes", encodePeakRSSBytes = "encode_peak_rss_bytes", svd = "content_svd"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(lines, forKey: .lines)
            try c.encodeNumber(parseLinesPerSecond.rounded(.down), forKey: .parseLinesPerSecond)
            try c.encodeNumber((cachedLoadSeconds * 1000).rounded() / 1000, forKey: .cachedLoadSeconds)
            try c.encode(peakRSSBytes, forKey: .peakRSSBytes)
            try c.encodeNumber((encodeSeconds * 1000).rounded() / 1000, forKey: .encodeSeconds)
            try c.encodeNumber((encodeCPUSeconds * 1000).rounded() / 1000, forKey: .encodeCPUSeconds)
            try c.encode(encodedBytes, forKey: .encodedBytes)
            try c.encode(encodePeakRSSBytes, forKey: .encodePeakRSSBytes)
            try c.encode(svd, forKey: .svd)
        }
    }
}

extension BenchReport {
    /// `bench loss`: milliseconds per loss step; `direct_ms`/`gemm_ms` for the SV-softmax
    /// scoring strategies at each M, `ms` for the losses with one strategy.
    struct Loss: Encodable {
        struct Figure: Encodable {
            let loss: String
            let m: Int?
            let directMs, gemmMs, ms: Double?
            enum CodingKeys: String, CodingKey { case loss, m, directMs = "direct_ms", gemmMs = "gemm_ms", ms }

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(loss, forKey: .loss)
                try c.encode(m, forKey: .m)
                try c.encodeNumber(directMs.map(round3), forKey: .directMs)
                try c.encodeNumber(gemmMs.map(round3), forKey: .gemmMs)
                try c.encodeNumber(ms.map(round3), forKey: .ms)
            }
        }
        let batch, dim, threads: Int
        let backend: String
        let figures: [Figure]
    }

    /// `bench frame`: one frame's render, diff and wall time, and the cells it changed.
    struct Frame: Encodable {
        let width, height, frames, changedCells: Int
        let renderMs, diffMs, wallMs: Double
        enum CodingKeys: String, CodingKey {
            case width, height, frames, renderMs = "render_ms", diffMs = "diff_ms", wallMs = "wall_ms", changedCells = "changed_cells"
        }

        init(_ r: FrameBenchmark.Result) {
            (width, height, frames) = (r.width, r.height, r.frames)
            changedCells = Int(r.changedCells.rounded())
            (renderMs, diffMs, wallMs) = (r.renderMilliseconds, r.diffMilliseconds, r.wallMilliseconds)
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            for (key, n) in [(CodingKeys.width, width), (.height, height), (.frames, frames), (.changedCells, changedCells)] {
                try c.encode(n, forKey: key)
            }
            try c.encodeNumber((renderMs * 1e4).rounded() / 1e4, forKey: .renderMs)
            try c.encodeNumber((diffMs * 1e4).rounded() / 1e4, forKey: .diffMs)
            try c.encodeNumber((wallMs * 1e4).rounded() / 1e4, forKey: .wallMs)
        }
    }
}

private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
