"""MDX (`.mdx`): ESM, expressions and JSX tags are not prose; the text
between a component's tags is, at its exact source position."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.document import parse_document
from healthlint.document.model import HEADING, PARAGRAPH
from test_markdown import check_invariants, texts, where

PAGE = """\
---
title: Sleep
---
import { Callout } from '../components/Callout'
import Chart, {
  Legend,
} from './chart.js'
export const meta = {
  claim: 'cures anxiety',
}

# Melatonin {meta.claim}

Melatonin may help jet lag.

{/* a miracle herb, says the comment */}

<Callout type="warn" title="miracle">
  This tea is a miracle cure.
</Callout>

<Chart data={[1, 2, 3]} label="guaranteed results" />

{
  items.map((x) => <li>{x}</li>)
}

Text with {props.claim} inside, and <Badge kind="hype">instant relief</Badge> here.

    Indented under nothing, still prose in MDX.

export default function Layout({ children }) { return <main>{children}</main> }
"""


def parse(source, path="page.mdx"):
    return parse_document(source, path)


def test_esm_expressions_and_component_tags_are_not_prose():
    """Read as Markdown, every line of MDX's JavaScript was prose: the export's
    'cures anxiety' was an efficacy claim, the Chart's label hype."""
    doc = parse(PAGE)
    assert texts(doc) == [
        "Sleep", "Melatonin", "Melatonin may help jet lag.", "This tea is a miracle cure.",
        "Text with  inside, and instant relief here.", "Indented under nothing, still prose in MDX.",
    ]
    assert [r.kind for r in doc.regions][1:3] == [HEADING, PARAGRAPH]
    check_invariants(doc)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_breaks(newline):
    """A blank line ends an `import` block, and a fence closes, whichever
    line breaks the file uses (a missed one would hide the rest of the file)."""
    doc = parse((PAGE + "\n```js\nconst a = {b: 1}\n```\n\nAfter {c} it.\n").replace("\n", newline))
    assert texts(doc)[:4] == ["Sleep", "Melatonin", "Melatonin may help jet lag.", "This tea is a miracle cure."]
    assert texts(doc)[-1] == "After  it."
    check_invariants(doc)


def test_text_keeps_its_exact_source_position():
    doc = parse(PAGE)
    assert where(doc, "miracle cure") == (19, 17)
    assert where(doc, "instant relief") == (28, 56)
    assert where(doc, "inside") == (28, 25)


def test_only_mdx_files_are_read_as_mdx():
    doc = parse(PAGE, "page.md")
    assert "export const meta = {" in "\n".join(texts(doc))


@pytest.mark.parametrize("source, expected", [
    # code is left as it is: braces and tags in it are code, not MDX
    ("Use `{x}` and `<Tag a={1}>` here.\n", ["Use  and  here."]),
    ("```js\nexport const x = {a: 1}\n```\n\nAfter {x}.\n", ["After ."]),
    # an HTML (lowercase) tag stays HTML; only its `={…}` values go
    ('<img src={logo} alt="A miracle cure" />\n', ["A miracle cure"]),
    ('<div className={styles.box}>\n\nReal text.\n\n</div>\n', ["Real text."]),
    # strings and comments inside an expression may hold braces
    ("Before {fn('}', \"{\", `}`) /* } */} after.\n", ["Before  after."]),
    # import/export only start ESM at the start of a block, at column 0
    ("Imports and exports grew.\n\n  import x from 'y'\n", ["Imports and exports grew.", "import x from 'y'"]),
    ("A line.\nimport x from 'y'\n", ["A line.\nimport x from 'y'"]),
    # an unclosed `{` or tag is text (MDX itself would refuse the file)
    ("Cost {unclosed and <Tag a='b\n", ["Cost {unclosed and <Tag a='b"]),
    # a fragment and member tags are components
    ("<>Fragment text</> <UI.Note>Note text</UI.Note>\n", ["Fragment text Note text"]),
    # a tag in code that markdown-it reads as a fenced block (in a list item)
    # but whose quote closes after it is text: blanking it would blank the
    # closing fence and leave the rest of the file in a code block
    ('- item\n\n    ~~~\n    <Note a="\n    ~~~\n\n" /> A miracle.\n', ["item", '" /> A miracle.']),
    # an escaped brace is text
    ("Braces \\{like this\\} stay.\n", ["Braces {like this} stay."]),
])
def test_what_is_prose_in_mdx(source, expected):
    doc = parse(source)
    assert texts(doc) == expected
    check_invariants(doc)


def test_directive_comments_still_work_in_mdx():
    doc = parse("<!-- healthlint-disable-next-line hype -->\nA miracle {x}.\n")
    assert [c.text for c in doc.comments] == ["healthlint-disable-next-line hype"]
    assert texts(doc) == ["A miracle ."]


@pytest.mark.parametrize("source", [
    "{" * 100_000,
    '<a x="' * 50_000,
    "<A b " * 50_000,
    "".join("`" * k + " " for k in range(1, 600)),
    "{'" * 50_000,
    "{" * 20_000 + "}" * 20_000,
    "\\```",  # an escaped backtick leaves a shorter run (found by the property below)
])
def test_hostile_mdx_parses_in_linear_time(source):
    check_invariants(parse(source))


ATOMS = st.sampled_from([
    "{", "}", "<", ">", "</", "/>", "<>", "</>", "<Note", "<div", " a=", '"', "'", "`", "```", "\n", "\n\n",
    "import x from 'y'", "export const a = 1", "{/* c */}", "//", "/*", "*/", "\\", "word", "miracle", " ",
    "    ", "# ", "- ", "> ", "<!-- c -->", "[^1]", "µg", "😀", "\r\n", "\r", "~~~",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ATOMS, st.text(max_size=4)), max_size=40).map("".join))
def test_property_mapping_holds_for_generated_mdx(source):
    check_invariants(parse(source))
