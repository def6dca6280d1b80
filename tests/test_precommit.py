"""The pre-commit hook, through the real pre-commit: `pre-commit try-repo`
against this checkout, in a temporary git repository of articles.

try-repo clones the checkout (committing any uncommitted changes to a shadow
copy first, so the working tree is what is tested) and installs the hook's
environment from it with pip, which needs PyPI. A failure to build that
environment fails the test with a message that says so.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not (CHECKOUT / ".git").exists(), reason="the checkout is not a git repository"),
]

BAD = "# Sleep\n\nA miracle cure. Take 5 mg of kratom daily.\n"
CLEAN = "# Sleep\n\nMost adults need seven or more hours of sleep a night.\n"
ENV_FAILURE = ("An unexpected error has occurred", "CalledProcessError", "InstallationError",
               "Could not find a version", "No matching distribution")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=_env(repo))


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(home / ".pre-commit-home")
    env.pop("HEALTHLINT_DEBUG", None)
    return env


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("articles")
    _git(repo, "init", "-q", ".")
    _git(repo, "config", "user.email", "test@example.org")
    _git(repo, "config", "user.name", "healthlint tests")
    (repo / "bad.md").write_text(BAD, encoding="utf-8")
    (repo / "clean.md").write_text(CLEAN, encoding="utf-8")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "bad.md").write_text(BAD, encoding="utf-8")
    (repo / "script.py").write_text('print("a miracle")\n', encoding="utf-8")
    (repo / "README").write_text(BAD, encoding="utf-8")  # no extension: folder runs skip it too
    (repo / "page.mdx").write_text(BAD, encoding="utf-8")
    (repo / ".healthlint.yaml").write_text("exclude: [drafts/]\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "articles")
    return repo


def try_repo(repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(CHECKOUT), "healthlint", "--files", *files],
        cwd=repo, env=_env(repo.parent), capture_output=True, text=True, encoding="utf-8", timeout=900,
        check=False)
    output = result.stdout + result.stderr
    if any(marker in output for marker in ENV_FAILURE):
        log = Path(_env(repo.parent)["PRE_COMMIT_HOME"]) / "pre-commit.log"
        detail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else output[-3000:]
        pytest.fail("pre-commit could not build the hook's environment from this checkout (pip needs "
                    f"PyPI); this is a setup problem, not a healthlint finding:\n{detail}", pytrace=False)
    return result


def test_hook_fails_on_a_bad_article_with_the_findings(articles: Path) -> None:
    result = try_repo(articles, "bad.md")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "healthlint" in result.stdout and "Failed" in result.stdout
    assert "bad.md:3:3: HL502 [hype] 'miracle' is hype" in result.stdout
    assert "bad.md:3:17: HL101 [dose]" in result.stdout
    assert "Found 3 problems" in result.stdout


def test_hook_passes_a_clean_article_and_honours_exclude_and_types(articles: Path) -> None:
    # drafts/bad.md is excluded by the config (--force-exclude in the hook's
    # entry); script.py and README have none of the extensions `healthlint
    # check DIR` lints.
    result = try_repo(articles, "clean.md", "drafts/bad.md", "script.py", "README")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    assert "HL" not in result.stdout


def test_hook_lints_mdx_pages(articles: Path) -> None:
    # identify tags .mdx as "mdx", not "markdown"; the hook must still run.
    result = try_repo(articles, "page.mdx")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "page.mdx:3:3: HL502" in result.stdout
