"""The approved-claims register (issue 5): matching, jurisdictions, expiry
(HL004), --show-approved in text, JSON and SARIF (suppressions validated
against the schema), strict loading and `healthlint claims check`."""
from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint import claims
from healthlint.cli import ExitCode, cli

RULES = r"""
rules:
  - code: TS101
    name: test-dose
    category: dose
    severity: warning
    type: existence
    message: "Dose '{match}'"
    patterns: ['\btake \d+ mg\b']
    examples: {flag: ["take 5 mg"], pass: ["rest well"]}
  - code: TS301
    name: test-cure
    category: efficacy
    severity: error
    type: existence
    message: "'{match}' is a cure claim"
    patterns: ['\bcures? \w+']
    examples: {flag: ["cures insomnia"], pass: ["rest well"]}
"""
REGISTER = """\
claims:
  - reference: MLR-2024-017
    wording: "Our tea cures insomnia in most adults"
    approved-by: Dr A. Patel
    jurisdictions: [US, UK]
    expires: 2026-06-30
"""
DOC = "# Sleep\n\nOur tea cures insomnia in most adults. Take 5 mg nightly.\n"
TODAY = datetime.date(2026, 1, 15)
SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def config(market: str = "[US]") -> str:
    return f"rules: [rules.yaml]\nselect: [TS]\napproved-claims: approved-claims.yaml\ncontext: {{market: {market}}}\n"


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # A results cache of our own: never another run's, never in the project.
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setattr(claims, "today", lambda: TODAY)
    for var in ("NO_COLOR", "FORCE_COLOR", "HEALTHLINT_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    write(tmp_path / "rules.yaml", RULES)
    write(tmp_path / ".healthlint.yaml", config())
    write(tmp_path / "approved-claims.yaml", REGISTER)
    write(tmp_path / "a.md", DOC)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def reported(*args: str) -> list[tuple[str, int, int]]:
    return [(d["code"], d["line"], d["column"]) for d in json.loads(run("check", "--format", "json", *args).stdout)]


# -- matching ---------------------------------------------------------------------

def test_an_approved_claim_is_not_reported(project: Path) -> None:
    assert reported("a.md") == [("TS101", 3, 40)]
    result = run("check", "a.md")
    assert result.stdout.endswith("Found 1 problem (0 errors, 1 warning, 0 info) in 1 file.\n"
                                  "1 approved claim not reported (--show-approved lists them).\n")


def test_a_claim_pattern_that_times_out_is_hl002_and_the_file_is_still_linted(project: Path) -> None:
    # It used to lose every finding of the file to an internal error.
    write(project / "approved-claims.yaml", """\
        claims:
          - reference: SLOW-1
            pattern: '(a|a)+b'
            approved-by: Dr A. Patel
            jurisdictions: [US]
            expires: 2026-06-30
        """)
    write(project / "a.md", "# Sleep\n\nOur tea cures insomnia. " + "a" * 40 + " end. Take 5 mg nightly.\n")
    assert reported("a.md") == [("HL002", 3, 1), ("TS301", 3, 9), ("TS101", 3, 71)]
    result = run("check", "--format", "json", "a.md")
    timeout = json.loads(result.stdout)[0]
    assert timeout["message"] == "approved claim SLOW-1 (approved-claims.yaml:2) timed out here and was skipped"


def test_show_approved_lists_it_with_its_reference(project: Path) -> None:
    out = run("check", "--show-approved", "a.md").stdout
    assert out.endswith("Approved claims (1), not reported:\n"
                        "  a.md:3:9: TS301 [efficacy] 'cures insomnia' is a cure claim -- approved as MLR-2024-017 "
                        "by Dr A. Patel (US, UK; until 2026-06-30)\n")
    data = json.loads(run("check", "--format", "json", "--show-approved", "a.md").stdout)
    assert [(d["code"], d["approved"]) for d in data] == [
        ("TS301", {"reference": "MLR-2024-017", "approver": "Dr A. Patel", "jurisdictions": ["US", "UK"],
                   "expires": "2026-06-30"}),
        ("TS101", None)]


def test_wording_tolerates_case_whitespace_markup_and_quotes(project: Path) -> None:
    write(project / "approved-claims.yaml", REGISTER.replace("Our tea cures insomnia in most adults",
                                                             "Our tea’s blend cures insomnia"))
    write(project / "a.md", "OUR TEA'S\n*blend*   cures insomnia, we say.\n")
    assert reported("a.md") == []


def test_a_finding_outside_the_approved_words_is_reported(project: Path) -> None:
    write(project / "a.md", "Our tea cures insomnia in most adults, and cures anxiety too.\n")
    assert reported("a.md") == [("TS301", 1, 44)]
    write(project / "a.md", "Our tea cures insomnia in most adultsxx.\n")  # not the exact words
    assert reported("a.md") == [("TS301", 1, 9)]


def test_rules_restrict_what_an_entry_approves(project: Path) -> None:
    write(project / "approved-claims.yaml", REGISTER.replace("in most adults", "in most adults. Take 5 mg nightly")
          + "    rules: [dose]\n")
    assert reported("a.md") == [("TS301", 3, 9)]


@pytest.mark.parametrize("market, jurisdictions, approved", [
    ("[US]", "[US, UK]", True),
    ("[US, UK]", "[US]", False),   # published in the UK too: the US approval does not cover it
    ("[EU]", "[US, UK]", False),
    ("[]", "[US]", False),         # no market in the config: never guessed
    ("[]", "[ALL]", True),
    ("[EU]", "[ALL]", True),
])
def test_jurisdictions(project: Path, market: str, jurisdictions: str, approved: bool) -> None:
    write(project / ".healthlint.yaml", config(market))
    write(project / "approved-claims.yaml", REGISTER.replace("[US, UK]", jurisdictions))
    assert (("TS301", 3, 9) not in reported("a.md")) is approved


def test_document_level_findings_are_never_approved(project: Path) -> None:
    write(project / "rules.yaml", RULES + """
  - code: TS701
    name: test-consult
    category: consult
    type: document-requires
    message: "No consult notice"
    when-categories: [dose]
    requires: ['ask your doctor']
    examples: {flag: ["take 5 mg"], pass: ["take 5 mg. ask your doctor"]}
""")
    write(project / "approved-claims.yaml", REGISTER.replace("Our tea cures insomnia in most adults", "# Sleep"))
    assert ("TS701", 1, 1) in reported("a.md")


# -- expiry --------------------------------------------------------------------------

def test_valid_through_the_expiry_day_then_hl004(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setattr(claims, "today", lambda: datetime.date(2026, 6, 30))
    assert reported("a.md") == [("TS101", 3, 40)]
    monkeypatch.setattr(claims, "today", lambda: datetime.date(2026, 7, 1))
    # The results cache keys on the real date; a new day in a test needs a new cache.
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    data = json.loads(run("check", "--format", "json", "a.md").stdout)
    expired = data[0]
    assert (expired["code"], expired["name"], expired["severity"], expired["match"]) == \
        ("HL004", "approval-expired", "error", "cures insomnia")
    assert expired["message"] == ("approval MLR-2024-017 of this claim expired on 2026-06-30 "
                                  "(TS301: 'cures insomnia' is a cure claim)")
    assert expired["approved"]["reference"] == "MLR-2024-017"
    write(project / ".healthlint.yaml", config() + "ignore: [approval-expired]\n")
    assert reported("a.md") == [("TS101", 3, 40)]


# -- SARIF ---------------------------------------------------------------------------

def test_sarif_suppression_external_with_the_reference(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "b.md", "Our tea cures insomnia in most adults.\n")
    write(project / "approved-claims.yaml", REGISTER + """\
  - reference: MLR-2022-001
    pattern: 'cures? {word} in b'
    example: "It cures colds in babies."
    approved-by: Legal
    jurisdictions: [ALL]
    expires: 2025-01-01
""".replace("{word}", r"\w+"))
    write(project / "c.md", "It cures colds in babies.\n")
    log = json.loads(run("check", "--format", "sarif", "--show-approved", "a.md", "c.md").stdout)
    results = [(r["ruleId"], r.get("suppressions")) for r in log["runs"][0]["results"]]
    assert results == [
        ("TS301", [{"kind": "external", "status": "accepted",
                    "justification": "approved claim MLR-2024-017 by Dr A. Patel (US, UK) until 2026-06-30"}]),
        ("TS101", None),
        ("HL004", None),  # the expired approval is a problem again, not a suppression
    ]
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip("SARIF schema not available")
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    rules = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "HL004" in rules


# -- loading the register strictly -----------------------------------------------------

ENTRY = "claims:\n  - reference: R1\n    wording: cures insomnia\n    approved-by: Legal\n" \
        "    jurisdictions: [US]\n    expires: 2027-01-01\n"


@pytest.mark.parametrize("text, message", [
    (ENTRY + "    approver: X\n",
     "approved-claims.yaml:7:5: unknown key 'approver' in a claim; did you mean 'approved-by'?"),
    (ENTRY.replace("    approved-by: Legal\n", ""),
     "approved-claims.yaml:2:5: claim 1 is missing 'approved-by'"),
    (ENTRY + "    pattern: cures\n",
     "approved-claims.yaml:2:5: claim 'R1' needs exactly one of 'wording' and 'pattern'"),
    (ENTRY.replace("2027-01-01", "next year"),
     "approved-claims.yaml:6:14: 'expires' must be a date like 2026-06-30, got 'next year'"),
    # A list item is pointed at itself, not at the list's opening bracket.
    (ENTRY.replace("[US]", "[USA]"),
     "approved-claims.yaml:5:21: unknown jurisdiction 'USA'; did you mean 'US'?"),
    (ENTRY.replace("[US]", "\n      - UK\n      - USA"),
     "approved-claims.yaml:7:9: unknown jurisdiction 'USA'; did you mean 'US'?"),
    (ENTRY + ENTRY.replace("claims:\n", "").replace("wording: cures insomnia", "wording: other"),
     "approved-claims.yaml:7:5: duplicate reference 'R1'; first at line 2; merge the entries"),
    (ENTRY + ENTRY.replace("claims:\n", "").replace("R1", "R2").replace("cures insomnia", "Cures   Insomnia"),
     "approved-claims.yaml:7:5: claim 'R2' has the same wording as 'R1'; first at line 2; merge the entries"),
    (ENTRY.replace("wording: cures insomnia", "pattern: 'cures \\d+'\n    example: cures colds"),
     "approved-claims.yaml:4:14: the example of claim 'R1' does not match its pattern; fix the pattern or the "
     "example"),
    (ENTRY.replace("wording: cures insomnia", "pattern: 'cures ('"),
     "approved-claims.yaml:3:14: invalid pattern 'cures (': missing ) at position 9"),
    (ENTRY + "    rules: [test-dos]\n",
     "approved-claims.yaml:7:13: unknown rule code, name, prefix or category 'test-dos' in 'rules'; "
     "did you mean 'test-dose'?"),
    (ENTRY + "    rules: [TS101,\n      test-dos]\n",
     "approved-claims.yaml:8:7: unknown rule code, name, prefix or category 'test-dos' in 'rules'; "
     "did you mean 'test-dose'?"),
    ("claims: [\n", "approved-claims.yaml:2:1: invalid YAML: expected the node content, but found '<stream end>'"),
])
def test_invalid_register_is_exit_2_at_file_line(project: Path, text: str, message: str) -> None:
    write(project / "approved-claims.yaml", text)
    for args in (("claims", "check"), ("check", "a.md")):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (ExitCode.USAGE, f"healthlint: {message}\n"), args


def test_config_names_a_missing_register(project: Path) -> None:
    (project / "approved-claims.yaml").unlink()
    result = run("check", "a.md")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("healthlint: .healthlint.yaml:3:18: 'approved-claims' file "
                                    "'approved-claims.yaml' does not exist")


# -- `healthlint claims check` ---------------------------------------------------------

def test_claims_check_clean(project: Path) -> None:
    result = run("claims", "check")
    assert (result.exit_code, result.stdout) == (ExitCode.OK, "approved-claims.yaml: 1 claim, all valid.\n")


def test_claims_check_reports_expired_and_unflagged_entries(project: Path) -> None:
    write(project / "approved-claims.yaml", REGISTER + """\
  - reference: MLR-2023-004
    wording: "Take 5 mg nightly"
    approved-by: Legal
    jurisdictions: [US]
    expires: 2025-12-31
  - reference: MLR-2023-009
    wording: "Rest is good for you."
    approved-by: Legal
    jurisdictions: [UK]
    expires: 2030-12-31
""")
    result = run("claims", "check")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == (
        "approved-claims.yaml:7:5: MLR-2023-004 expired on 2025-12-31; renew the approval or remove the entry\n"
        "approved-claims.yaml:12:5: MLR-2023-009: no rule flags its wording any more, so it approves nothing; "
        "remove the entry\n"
        "approved-claims.yaml:12:5: MLR-2023-009 is approved for UK but this project publishes in US; "
        "it approves nothing here\n"
        "approved-claims.yaml: 3 claims, 2 to review.\n")


def test_claims_check_a_named_file_and_no_register(project: Path) -> None:
    write(project / "other.yaml", ENTRY)
    assert run("claims", "check", "other.yaml").stdout == "other.yaml: 1 claim, all valid.\n"
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\n")
    result = run("claims", "check")
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE, "healthlint: no approved-claims register to check; name the file, or set "
                        "approved-claims in the config\n")


def test_wording_regex() -> None:
    pattern = claims.wording_regex("It’s 100% “safe” - really.")
    import regex

    assert regex.fullmatch(pattern, 'It\'s  100% "safe" — really.', regex.I)
    assert not regex.search(pattern, "Its 100% safe really.")
