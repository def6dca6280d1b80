"""Inline suppression directives, through the public API with pinned rules.

The edge cases are the ones other linters got wrong: the directive's own
line, multi-line constructs, a blank line after a next-line comment,
unknown codes, unused directives, reasons.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from healthlint import lint_text
from rule_fixtures import DOSE_HYPE_CONSULT_RULES

RULES = DOSE_HYPE_CONSULT_RULES


@pytest.fixture(scope="module")
def rules_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return str(path)


@pytest.fixture
def lint(rules_file: str):
    """lint(text, path) -> ["line:col CODE", ...] with only the test rules."""

    def run(text: str, path: str = "doc.md", unused: bool = True, **extra: object) -> list[str]:
        config = {"rules": [rules_file], "select": ["TS"], "report-unused-disables": unused, **extra}
        return [f"{f.line}:{f.column} {f.code}" for f in lint_text(text, path, config=config)]

    return run


def messages(rules_file: str, text: str, path: str = "doc.md") -> list[str]:
    config = {"rules": [rules_file], "select": ["TS"], "report-unused-disables": True}
    return [f"{f.line}:{f.column} {f.code} {f.message}" for f in lint_text(text, path, config=config)]


def test_without_directives(lint) -> None:
    assert lint("Take 5 mg daily.\n\nA miracle.\n") == ["1:1 TS101", "1:1 TS701", "3:3 TS501"]


# -- disable-next-line -----------------------------------------------------------

def test_next_line_covers_the_next_unit_only(lint) -> None:
    text = "<!-- healthlint-disable-next-line TS501 -->\nA miracle.\n\nA miracle.\n"
    assert lint(text) == ["4:3 TS501"]


@pytest.mark.parametrize("text, path", [
    ("<!-- HEALTHLINT-DISABLE-NEXT-LINE TS501 -->\nA miracle.\n", "doc.md"),
    ("# Healthlint-Disable-Next-Line TS501\nA miracle.\n", "doc.txt"),
])
def test_directives_in_any_case(lint, text: str, path: str) -> None:
    # An upper-case directive was ignored without a word.
    assert [f for f in lint(text, path) if "TS501" in f] == []


def test_next_line_survives_a_blank_line(lint) -> None:
    # Formatters insert a blank line after an HTML comment (markdownlint#524).
    text = "<!-- healthlint-disable-next-line TS501 -->\n\nA miracle.\n"
    assert lint(text) == []


def test_next_line_covers_every_line_of_a_list_item(lint) -> None:
    text = ("<!-- healthlint-disable-next-line test-miracle -->\n"
            "- An item that wraps\n  onto a second line with a miracle.\n"
            "- Another miracle.\n")
    assert lint(text) == ["4:11 TS501"]


def test_next_line_covers_the_whole_line_of_the_next_unit(lint) -> None:
    text = "<!-- healthlint-disable-next-line hype -->\nOne miracle. Two miracles, no: one more miracle.\n"
    assert lint(text) == []


def test_next_line_does_not_cover_its_own_line(lint) -> None:
    text = "A miracle. <!-- healthlint-disable-next-line TS501 -->\n\nA miracle.\n"
    assert lint(text) == ["1:3 TS501"]


def test_next_line_with_nothing_after_it_is_unused(rules_file: str) -> None:
    assert messages(rules_file, "A miracle.\n\n<!-- healthlint-disable-next-line TS501 -->\n") == [
        "1:3 TS501 'miracle' is hype",
        "3:1 HL001 Suppression 'healthlint-disable-next-line TS501' silenced nothing",
    ]


# -- disable-line --------------------------------------------------------------------

def test_line_covers_its_own_line(lint) -> None:
    text = "A miracle. <!-- healthlint-disable-line TS501 -->\n\nA miracle.\n"
    assert lint(text) == ["3:3 TS501"]


def test_line_at_the_end_of_a_wrapped_list_item_covers_the_item(lint) -> None:
    text = "- A miracle in an item that\n  wraps to a second line. <!-- healthlint-disable-line TS501 -->\n"
    assert lint(text) == []


def test_line_on_its_own_line_covers_nothing(lint) -> None:
    text = "A miracle.\n<!-- healthlint-disable-line TS501 -->\n\nA miracle.\n"
    assert lint(text, "doc.html") == ["1:3 TS501", "2:1 HL001", "4:3 TS501"]


# -- regions ---------------------------------------------------------------------------

def test_region_with_codes(lint) -> None:
    text = ("A miracle.\n\n<!-- healthlint-disable TS501 -->\n\nA miracle. Take 5 mg.\n\n"
            "<!-- healthlint-enable TS501 -->\n\nA miracle.\n")
    assert lint(text) == ["1:1 TS701", "1:3 TS501", "5:12 TS101", "9:3 TS501"]


def test_regions_opened_and_closed_again_and_again(lint) -> None:
    # Each finding's walk back may stop where the last one for its code
    # began; an enable in between must still close the region.
    text = ("<!-- healthlint-disable TS501 -->\n\nA miracle.\n\nA miracle.\n\n"
            "<!-- healthlint-enable TS501 -->\n\nA miracle.\n\nA miracle. Take 5 mg.\n\n"
            "<!-- healthlint-disable TS501 -->\n\n<!-- healthlint-disable TS501 -->\n\nA miracle.\n\n"
            "<!-- healthlint-enable -->\n\nA miracle.\n\n<!-- healthlint-disable hype -->\n\nA miracle.\n")
    assert lint(text) == ["1:1 TS701", "9:3 TS501", "11:3 TS501", "11:12 TS101", "21:3 TS501"]


def test_a_thousand_directives_each_silence_their_line(lint) -> None:
    text = "<!-- healthlint-disable-next-line TS501 -->\nA miracle.\n\n" * 1000 + "A miracle.\n"
    assert lint(text) == ["3001:3 TS501"]


def test_bare_region_until_end_of_file(lint) -> None:
    text = "A miracle.\n\n<!-- healthlint-disable -->\n\nA miracle. Take 5 mg.\n"
    # The bare region hides the passage, not the document-level finding.
    assert lint(text) == ["1:1 TS701", "1:3 TS501"]


def test_enable_one_code_inside_a_bare_region(lint) -> None:
    text = ("<!-- healthlint-disable -->\n\nA miracle. Take 5 mg.\n\n<!-- healthlint-enable TS501 -->\n\n"
            "A miracle. Take 5 mg.\n")
    assert lint(text) == ["1:1 TS701", "7:3 TS501"]


def test_region_starts_after_the_comment_on_the_same_line(lint) -> None:
    text = "A miracle. <!-- healthlint-disable TS501 --> A miracle.\n"
    assert lint(text) == ["1:3 TS501"]


# -- disable-file --------------------------------------------------------------------

def test_file_bare_anywhere(lint) -> None:
    assert lint("A miracle. Take 5 mg.\n\n<!-- healthlint-disable-file -->\n") == []


def test_file_with_codes(lint) -> None:
    assert lint("<!-- healthlint-disable-file hype -->\nA miracle. Take 5 mg.\n") == ["1:1 TS701", "2:12 TS101"]


# -- document-level findings -----------------------------------------------------------

@pytest.mark.parametrize("directive", [
    "<!-- healthlint-disable-file TS701 -- reviewed by legal -->",
    "<!-- healthlint-disable consult -->",
    "<!-- healthlint-disable-next-line test-consult -->",
])
def test_document_level_finding_needs_its_name_anywhere(lint, directive: str) -> None:
    text = f"Take 5 mg daily.\n\nMore text.\n\n{directive}\n\nThe end.\n"
    assert lint(text) == ["1:1 TS101"]


def test_bare_line_directive_on_line_one_keeps_document_finding(lint) -> None:
    text = "Take 5 mg daily. <!-- healthlint-disable-line -->\n"
    assert lint(text) == ["1:1 TS701"]


# -- tokens, reasons, problems -----------------------------------------------------------

@pytest.mark.parametrize("tokens", ["TS501", "test-miracle", "hype", "TS5", "TS101,TS501", "TS101, hype",
                                    "TS101 TS501 -- approved by J. Doe, 2026-05-02", "ts501"])
def test_token_spellings(lint, tokens: str) -> None:
    text = f"<!-- healthlint-disable-next-line {tokens} -->\nA miracle.\n"
    assert lint(text, unused=False) == []


def test_reason_is_not_a_code(lint) -> None:
    text = "<!-- healthlint-disable-next-line TS501 -- TS101 is fine too -->\nA miracle. Take 5 mg.\n"
    assert lint(text) == ["1:1 TS701", "2:12 TS101"]


def test_unknown_code_is_reported_and_known_codes_still_work(rules_file: str) -> None:
    text = "<!-- healthlint-disable-next-line TS501, TS9999 -->\nA miracle.\n"
    assert messages(rules_file, text) == [
        "1:1 HL003 'TS9999' in 'healthlint-disable-next-line TS501 TS9999' names no rule; "
        "see `healthlint rules` for codes, names and categories"]


def test_only_unknown_codes_is_not_a_blanket_directive(rules_file: str) -> None:
    text = "<!-- healthlint-disable-next-line test-mirakle -->\nA miracle.\n"
    assert messages(rules_file, text) == [
        "1:1 HL003 'test-mirakle' in 'healthlint-disable-next-line test-mirakle' names no rule; "
        "did you mean 'test-miracle'?",
        "2:3 TS501 'miracle' is hype",
    ]


def test_unknown_directive(rules_file: str) -> None:
    assert messages(rules_file, "<!-- healthlint-disabel TS501 -->\nA miracle.\n") == [
        "1:1 HL003 Unknown suppression directive 'healthlint-disabel'; did you mean 'healthlint-disable'?",
        "2:3 TS501 'miracle' is hype",
    ]


def test_other_comments_are_not_directives(lint) -> None:
    assert lint("<!-- TODO: healthlint-disable later -->\nA miracle.\n") == ["2:3 TS501"]


def test_unused_directives_and_codes(rules_file: str) -> None:
    text = ("<!-- healthlint-disable-next-line TS501 TS101 -->\nA miracle.\n\n"
            "<!-- healthlint-disable-line -->\n\n"
            "<!-- healthlint-disable dose -->\n\nRest well.\n\n<!-- healthlint-enable dose -->\n")
    assert messages(rules_file, text) == [
        "1:1 HL001 Code 'TS101' in 'healthlint-disable-next-line TS501 TS101' silenced nothing",
        "4:1 HL001 Suppression 'healthlint-disable-line' silenced nothing",
        "6:1 HL001 Suppression 'healthlint-disable dose' silenced nothing",
    ]


def test_unused_only_when_asked(lint) -> None:
    assert lint("<!-- healthlint-disable-file TS501 -->\nRest well.\n", unused=False) == []


def test_directive_for_an_ignored_rule_is_unused(lint) -> None:
    text = "<!-- healthlint-disable-next-line TS501 -->\nA miracle.\n"
    assert lint(text, ignore=["TS501"]) == ["1:1 HL001"]


def test_internal_findings_can_be_ignored(lint) -> None:
    text = "<!-- healthlint-disable-next-line TS9999 -->\nRest well.\n"
    assert lint(text, ignore=["invalid-suppression", "HL001"]) == []


def test_redundant_directives_both_count_as_used(lint) -> None:
    text = "<!-- healthlint-disable hype -->\n\nA miracle. <!-- healthlint-disable-line TS501 -->\n"
    assert lint(text) == []


# -- other syntaxes -------------------------------------------------------------------------

@pytest.mark.parametrize("directive", [
    "# healthlint-disable-next-line TS501 -- quoted from the label",
    "// healthlint-disable-next-line TS501",
    "healthlint-disable-next-line TS501",
    "<!-- healthlint-disable-next-line TS501 -->",
])
def test_plain_text_directive_lines(lint, directive: str) -> None:
    text = f"Rest well.\n{directive}\n\nA miracle in a paragraph\nthat wraps.\n\nA miracle.\n"
    assert lint(text, "doc.txt") == ["7:3 TS501"]


def test_plain_text_region_and_file(lint) -> None:
    text = "# healthlint-disable hype\nA miracle.\n# healthlint-enable\nA miracle.\n"
    assert lint(text, "doc.txt") == ["4:3 TS501"]
    assert lint("A miracle.\n# healthlint-disable-file\n", "doc.txt") == []


def test_html_directives(lint) -> None:
    text = ("<html><body>\n<!-- healthlint-disable-next-line TS501 -->\n<p>A miracle.</p>\n"
            "<p>A miracle. <!-- healthlint-disable-line hype --></p>\n<p>A miracle.</p>\n</body></html>\n")
    assert lint(text, "doc.html") == ["5:6 TS501"]


def test_directives_in_code_blocks_are_ignored(lint) -> None:
    text = "```\n<!-- healthlint-disable-file -->\n```\n\nA miracle.\n"
    assert lint(text) == ["5:3 TS501"]


def test_directive_with_crlf_line_endings(lint) -> None:
    text = "<!-- healthlint-disable-next-line TS501 -->\r\n\r\nA miracle in a\r\nwrapped line.\r\n\r\nA miracle.\r\n"
    assert lint(text) == ["6:3 TS501"]


def test_suppressed_findings_do_not_depend_on_the_path(lint, tmp_path: Path) -> None:
    text = "<!-- healthlint-disable-next-line TS501 -->\nA miracle.\n"
    assert lint(text, str(tmp_path / "x" / "doc.md")) == lint(text, "doc.md") == []


def test_a_directive_of_thousands_of_unknown_codes_gives_a_bounded_report(rules_file: str) -> None:
    codes = " ".join(f"XX{i}" for i in range(3000))
    found = messages(rules_file, f"<!-- healthlint-disable {codes} -->\nA miracle.\n")
    assert len(found) == 12
    assert found[0].startswith("1:1 HL003 'XX0' in 'healthlint-disable XX0 XX1 XX2")
    assert all(len(m) < 400 for m in found)
    assert found[10] == "1:1 HL003 2,990 more codes in " + repr("healthlint-disable " + codes[:100] + "…") + " name no rule"
    assert found[11] == "2:3 TS501 'miracle' is hype"
