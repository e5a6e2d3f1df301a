"""``--format junit``: JUnit XML, one test case per file, for CI test-report viewers.

A file fails when it has what fails the run: an error, or a warning under
``--strict``; its ``<failure>`` lists every diagnostic of the file, one
``path:line:col: CODE message`` line each. A file where a check crashed (FL9xx)
gets an ``<error>`` instead. Warnings that do not fail a file are kept in its
``<system-out>``. Clean files are passing test cases. A line break inside a message
is shown as ``\\n`` (one line per diagnostic). Text that XML 1.0 cannot
carry at all (control characters, lone surrogates) is written as ``\\xNN`` /
``\\uNNNN`` escapes; everything else is escaped by the XML serializer.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from feedlint.diagnostics import Diagnostic, Severity
from feedlint.reporters._base import Reporter
from feedlint.reporters.text import plural

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from feedlint.results import RunResult


@functools.cache
def _not_xml() -> re.Pattern[str]:
    # Compiled on first use: the pattern is costly enough to matter at start-up.
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot represent written as escapes."""

    def escape(match: re.Match[str]) -> str:
        point = ord(match.group())
        return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"

    return _not_xml().sub(escape, text)


def diagnostic_line(d: Diagnostic) -> str:
    """``path:line:col: severity CODE message`` on one line, as ``--format text`` writes
    it: a line break inside the message (a quoted key can hold one) is shown as
    ``\\r``/``\\n``, and XML would turn a bare CR into LF anyway."""
    line = f"{d.file}:{d.line}:{d.column}: {d.severity} {d.code} {d.message}"
    return line.replace("\r", "\\r").replace("\n", "\\n")


class JunitReporter(Reporter):
    def write(self, result: RunResult, out: TextIO) -> None:
        import xml.etree.ElementTree as ET

        root = self.tree(result)
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")

    def _fails(self, d: Diagnostic) -> bool:
        return d.severity == Severity.ERROR or self.options.strict

    def tree(self, result: RunResult) -> ET.Element:
        import xml.etree.ElementTree as ET

        tests = failures = errors = 0
        suite = ET.Element("testsuite", name="feedlint")
        for file in sorted(result.files, key=lambda f: f.path):
            tests += 1
            case = ET.SubElement(
                suite, "testcase", name=xml_text(file.path), classname="feedlint",
                file=xml_text(file.path),
            )
            failing = [d for d in file.diagnostics if self._fails(d)]
            crashed = any(d.code.startswith("FL9") for d in file.diagnostics)
            if crashed or failing:
                shown = file.diagnostics if crashed else failing
                count_errors = sum(1 for d in shown if d.severity == Severity.ERROR)
                count_warnings = len(shown) - count_errors
                message = f"{plural(count_errors, 'error')}, {plural(count_warnings, 'warning')}"
                kind = "error" if crashed else "failure"
                element = ET.SubElement(
                    case, kind, message=xml_text(f"{message}: {diagnostic_line(shown[0])}"),
                    type=shown[0].code,
                )
                element.text = xml_text("\n".join(diagnostic_line(d) for d in shown))
                if crashed:
                    errors += 1
                else:
                    failures += 1
            passed_over = [d for d in file.diagnostics if not self._fails(d)]
            if passed_over and not crashed:
                output = ET.SubElement(case, "system-out")
                output.text = xml_text("\n".join(diagnostic_line(d) for d in passed_over))
        counts = {"tests": str(tests), "failures": str(failures), "errors": str(errors)}
        suite.attrib.update(counts)
        suite.set("skipped", "0")
        suite.set("timestamp", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"))
        root = ET.Element("testsuites", {"name": "feedlint", **counts})
        if self.options.elapsed is not None:
            elapsed = f"{self.options.elapsed:.3f}"
            suite.set("time", elapsed)
            root.set("time", elapsed)
        root.append(suite)
        return root
