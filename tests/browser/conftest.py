"""Print the browser tests' figures (latency per notebook, where the screenshots are) after the run.

A passing test's output is hidden, and under xdist it stays on the worker; the test records its
report with ``record_property("浏览器测试", ...)``, which reaches the main process with the report.
"""


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", "") == "call"
        for name, value in getattr(report, "user_properties", [])
        if name == "浏览器测试"
    ]
    if lines:
        terminalreporter.section("浏览器测试的数字")
        for text in lines:
            terminalreporter.write_line(text)
