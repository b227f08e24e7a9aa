import Foundation
import XCTest
import Workbench

final class LineChartTests: XCTestCase {
    let theme = Theme.builtinDefault

    func testRampRendersToExpectedBrailleAndTicks() {
        // 16 points on a 16×16 dot grid (8×4 cells): one dot per column on the diagonal.
        let ramp = ChartSeries(name: "ramp", values: (0..<16).map(Double.init), role: .seriesLoss)
        let chart = LineChart(series: [ramp], xRange: 0...15, yRange: 0...15, legend: .hidden)
        var b = ScreenBuffer(width: 11, height: 6)
        chart.render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, [
            "  │      ⡠⠊",
            "10┤    ⡠⠊  ",
            "  │  ⡠⠊    ",
            " 0┤⡠⠊      ",
            "  └┴───────",
            "   0       ",
        ])
        XCTAssertEqual(b[3, 3].foreground, theme[.seriesLoss], "dots take the series colour")
        XCTAssertEqual(b[0, 1].foreground, theme[.dim], "tick labels are dim")
    }

    func testFlatSeriesAutoscalesWithinTicksAndAxisLabelsUseNiceSteps() {
        let xs = (0...200).map { Double($0) * 50 }
        let s = ChartSeries(name: "loss", xs: xs, ys: xs.map { 0.5 + $0 / 20000 }, role: .seriesLoss)
        var b = ScreenBuffer(width: 60, height: 12)
        LineChart(series: [s], legend: .hidden).render(into: &b, area: b.bounds, theme: theme)
        let text = b.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("1.0"), text)
        XCTAssertTrue(text.contains("0.5"), text)
        XCTAssertTrue(b.line(11).contains("0"), "x labels on the last row")
        XCTAssertTrue(b.line(11).contains("10k"), "large steps are abbreviated: \(b.line(11))")
    }

    func testLogScaleTicksAreDecadesAndPlaceValuesGeometrically() {
        let s = ChartSeries(name: "loss", xs: [0, 1, 2, 3, 4], ys: [1000, 100, 10, 1, -5], role: .seriesLoss)
        var b = ScreenBuffer(width: 30, height: 10)
        LineChart(series: [s], yScale: .logarithmic, legend: .hidden).render(into: &b, area: b.bounds, theme: theme)
        let labels = (0..<8).map { b.line($0).prefix(4).trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(labels.first, "1000")
        XCTAssertEqual(labels.last, "1", "the lowest decade sits on the bottom row")
        XCTAssertTrue(labels.contains("10") && labels.contains("100"), "\(labels)")
        // 10 and 100 divide the 3 decades evenly: their rows are a third of the way apart.
        let row10 = labels.firstIndex(of: "10")!, row100 = labels.firstIndex(of: "100")!
        XCTAssertEqual(row10 - row100, row100 - 0, accuracy: 1)
    }

    func testMarkersDrawADashedColumnWithTheirLabel() {
        let s = ChartSeries(name: "loss", values: Array(repeating: 1, count: 41), role: .seriesLoss)
        let chart = LineChart(series: [s], markers: [ChartMarker(x: 20, label: "M=4")], xRange: 0...40, yRange: 0...2,
                              legend: .hidden)
        var b = ScreenBuffer(width: 30, height: 8)
        chart.render(into: &b, area: b.bounds, theme: theme)
        guard let at = b.findText("M=4") else { return XCTFail(b.textLines().joined(separator: "\n")) }
        XCTAssertEqual(at.y, 0, "marker labels sit on the top row")
        let markerColumn = at.x - 1
        for y in 1..<6 {
            let c = b[markerColumn, y]
            XCTAssertTrue((0x2800...0x28FF).contains(c.scalar.value), "row \(y) is braille: \(b.line(y))")
            XCTAssertNotEqual(c.scalar.value & 0x07, 0, "left-column dots of the marker at row \(y)")
        }
        XCTAssertEqual(b[markerColumn, 1].foreground, theme[.marker])
    }

    func testMarkerAtTheRightEdgeIsLabelledOnItsLeftAndBelowTheLegend() {
        let s = ChartSeries(name: "loss", values: Array(repeating: 1, count: 41), role: .seriesLoss)
        let chart = LineChart(series: [s], markers: [ChartMarker(x: 40, label: "M=8")], yRange: 0...2)
        var b = ScreenBuffer(width: 30, height: 8)
        chart.render(into: &b, area: b.bounds, theme: theme)
        guard let at = b.findText("M=8") else { return XCTFail(b.textLines().joined(separator: "\n")) }
        XCTAssertEqual(at.y, 1, "the legend holds the top row's right end")
        XCTAssertEqual(at.x + 3, b.width - 1, "label ends just left of the marker in the last column")
        XCTAssertNotNil(b.findText("▬ loss"))
    }

    func testDownsamplingKeepsASingleSpikeAndDipAmong100kPoints() {
        var ys = [Double](repeating: 0.5, count: 100_000)
        ys[54_321] = 1.0
        ys[77_777] = 0.0
        let s = ChartSeries(name: "loss", values: ys, role: .seriesLoss)
        var b = ScreenBuffer(width: 50, height: 10)
        let chart = LineChart(series: [s], yRange: 0...1, legend: .hidden)
        chart.render(into: &b, area: b.bounds, theme: theme)
        let plot = chart.geometry(for: b.bounds)!.plot
        let top = b.textLines(in: plot.row(0).intersection(plot))[0]
        let bottom = b.textLines(in: Rect(x: plot.x, y: plot.maxY - 1, width: plot.width, height: 1))[0]
        XCTAssertEqual(top.filter { $0 != " " && $0 != "⠀" }.count, 1, "the spike reaches the top row once: \(top)")
        XCTAssertEqual(bottom.filter { $0 != " " && $0 != "⠀" }.count, 1, "the dip reaches the bottom row once: \(bottom)")
    }

    func testSmoothingIsDebiasedEMA() {
        let out = Smoothing.exponential([1, 1, 1, 3], weight: 0.5)
        XCTAssertEqual(out[0], 1, accuracy: 1e-12, "no pull towards zero at the start")
        XCTAssertEqual(out[2], 1, accuracy: 1e-12)
        XCTAssertEqual(out[3], (0.5 * 0.875 + 0.5 * 3) / (1 - 0.0625), accuracy: 1e-12)
        XCTAssertEqual(Smoothing.exponential([1, 2], weight: 0), [1, 2])
    }

    func testIncrementalSmootherMatchesTheBatchVersion() {
        let ys: [Double] = [3, 1, .nan, 4, 1, 5, 9, 2, 6]
        var smoother = ExponentialSmoother(weight: 0.6)
        let incremental = ys.map { smoother.add($0) }
        let batch = Smoothing.exponential(ys, weight: 0.6)
        for (a, b) in zip(incremental, batch) where !a.isNaN || !b.isNaN { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertTrue(incremental[2].isNaN)
    }

    func testTinyAreasAndNoDataDoNotCrash() {
        let s = ChartSeries(name: "x", values: [1, 2, 3], role: .seriesWarm)
        for (w, h) in [(0, 0), (1, 1), (2, 2), (5, 2), (6, 3), (10, 3)] {
            var b = ScreenBuffer(width: w, height: h)
            LineChart(series: [s]).render(into: &b, area: b.bounds, theme: theme)
        }
        var b = ScreenBuffer(width: 20, height: 5)
        LineChart(series: []).render(into: &b, area: b.bounds, theme: theme)
        XCTAssertNotNil(b.findText("no data yet"))
    }

    func testLegendListsSeriesInTheirColours() {
        let a = ChartSeries(name: "warm", values: [0, 1], role: .seriesWarm)
        let c = ChartSeries(name: "cold", values: [1, 0], role: .seriesColdUser)
        var b = ScreenBuffer(width: 60, height: 10)
        LineChart(series: [a, c]).render(into: &b, area: b.bounds, theme: theme)
        guard let at = b.findText("▬ warm ▬ cold") else { return XCTFail(b.textLines().joined(separator: "\n")) }
        XCTAssertEqual(at.y, 0)
        XCTAssertEqual(b[at.x, 0].foreground, theme[.seriesWarm])
        XCTAssertEqual(b[at.x + 7, 0].foreground, theme[.seriesColdUser])
    }
}
