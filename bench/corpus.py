"""Deterministic generator of realistic health copy for the benchmark.

    python bench/corpus.py OUT [--seed 20240611] [--scale 1.0] [--only a,b,c]

writes three corpora under OUT:

    a/   2,000 files of about 5 KB (Markdown, HTML and plain text)
    b/   one 10 MB Markdown file
    c/   20,000 files of about 500 bytes

The text mixes marketing and clinical registers (doses, cure and safety
claims, hype, evidence talk, citations, consult notices, neutral facts) in
front matter, headings, paragraphs, lists with lead-ins, tables, links,
block quotes and code blocks. The same seed always gives the same bytes,
so runs on different days compare like with like. `--scale` multiplies the
number of files (a, c) or the size (b) for the linearity check.
"""
from __future__ import annotations

import argparse
import os
import random
from pathlib import Path
from typing import Callable

SEED = 20240611

SUBSTANCES = [
    "ashwagandha", "magnesium glycinate", "melatonin", "kratom", "CBD oil", "turmeric", "curcumin",
    "vitamin D3", "berberine", "zinc", "elderberry syrup", "omega-3 fish oil", "a probiotic",
    "St John's wort", "valerian root", "ginkgo biloba", "creatine", "collagen peptides", "5-HTP",
    "NAC", "L-theanine", "rhodiola", "lion's mane", "apple cider vinegar", "green tea extract",
    "iron bisglycinate", "folic acid", "vitamin B12", "saw palmetto", "black seed oil", "kava",
    "phenibut", "colloidal silver", "glucosamine", "chondroitin", "echinacea", "garlic extract",
    "milk thistle", "psyllium husk", "CoQ10", "resveratrol", "NMN", "spirulina", "maca root",
]
CONDITIONS = [
    "anxiety", "insomnia", "joint pain", "high blood pressure", "type 2 diabetes", "depression",
    "migraines", "the common cold", "arthritis", "IBS", "brain fog", "hot flushes", "acne",
    "chronic fatigue", "high cholesterol", "hay fever", "back pain", "eczema", "ADHD",
    "opioid withdrawal", "inflammation", "low testosterone", "hair loss", "stress", "bloating",
    "restless legs", "fibromyalgia", "long COVID", "seasonal affective disorder", "gout",
]
MEDICINES = [
    "sertraline", "metformin", "your blood pressure tablets", "clonazepam", "levothyroxine",
    "warfarin", "ibuprofen", "paracetamol", "omeprazole", "your statin", "prednisolone",
    "your antidepressant", "insulin", "amlodipine", "codeine",
]
UNITS = ["mg", "g", "mcg", "IU", "ml", "capsules", "tablets", "gummies", "drops", "scoops", "teaspoons"]
TIMES = [
    "twice a day", "before bed", "every morning", "with breakfast", "daily", "on an empty stomach",
    "three times a day", "at bedtime", "after meals", "every night", "each day", "as needed",
]
PEOPLE = ["Smith", "Garcia", "Nguyen", "Okafor", "Müller", "Kowalski", "Tanaka", "Johansson", "Rossi", "Patel"]
JOURNALS = ["JAMA", "BMJ", "Nutrients", "The Lancet", "Phytomedicine", "Sleep Medicine", "Pain"]
BRANDS = ["PureRoot", "Zenvita", "NovaLeaf", "CalmCore", "VitalPeak", "Herbalux", "Sunlift", "Ocean Labs"]
FIRST = ["Jess", "Marco", "Aisha", "Tom", "Priya", "Lena", "Sam", "Yusuf", "Grace", "Olu"]


def _amount(r: random.Random) -> str:
    unit = r.choice(UNITS)
    if unit in ("mg", "mcg", "IU"):
        n = r.choice([50, 100, 200, 250, 300, 400, 500, 600, 1000, 1500, 2000, 5000])
        return f"{n} {unit}" if r.random() < 0.5 else f"{n}-{n * 2} {unit}"
    if unit in ("g", "ml"):
        return f"{r.randint(1, 5)} to {r.randint(6, 10)} {unit}"
    return f"{r.choice(['one', 'two', 'three', '1', '2', '3', '2-3'])} {unit}"


def _cite(r: random.Random) -> str:
    kind = r.randrange(4)
    if kind == 0:
        return f" [{r.randint(1, 30)}]"
    if kind == 1:
        return f" ({r.choice(PEOPLE)} et al., {r.randint(1998, 2024)})"
    if kind == 2:
        return f" ({r.choice(PEOPLE)}, {r.randint(1998, 2024)})"
    return f" ([{r.choice(JOURNALS)}](https://pubmed.ncbi.nlm.nih.gov/{r.randint(10**7, 4 * 10**7)}/))"


MARKETING: list[Callable[[random.Random], str]] = [
    lambda r: f"Take {_amount(r)} of {r.choice(SUBSTANCES)} {r.choice(TIMES)} and feel the difference.",
    lambda r: f"Our {r.choice(SUBSTANCES)} formula is clinically proven to reduce {r.choice(CONDITIONS)}.",
    lambda r: f"{r.choice(BRANDS)} is 100% natural, so it is completely safe with no side effects.",
    lambda r: f"This miracle blend cures {r.choice(CONDITIONS)} in just days, guaranteed results or your money back.",
    lambda r: f"Studies show {r.choice(SUBSTANCES)} boosts your immune system and melts away stress.",
    lambda r: f"Doctors recommend {r.choice(SUBSTANCES)} for {r.choice(CONDITIONS)}.",
    lambda r: f"Say goodbye to {r.choice(CONDITIONS)} for good with our revolutionary {r.choice(SUBSTANCES)} gummies.",
    lambda r: f"You can stop taking {r.choice(MEDICINES)} once you start our {r.choice(SUBSTANCES)} protocol.",
    lambda r: f"Swap {r.choice(MEDICINES)} for {r.choice(SUBSTANCES)} and let nature do the work.",
    lambda r: f"Most people do well on {_amount(r)} {r.choice(TIMES)}, and you can double up on bad days.",
    lambda r: f"It's a plant, so it's far gentler on your body than {r.choice(MEDICINES)}.",
    lambda r: f"Instant relief from {r.choice(CONDITIONS)} without harsh chemicals.",
    lambda r: f"{r.choice(SUBSTANCES).capitalize()} detoxes your liver and balances your hormones naturally.",
    lambda r: f"Non-habit forming and safe for the whole family, even kids.",
    lambda r: f"Thousands of happy customers have reversed their {r.choice(CONDITIONS)} with {r.choice(BRANDS)}.",
    lambda r: f"Taper off {r.choice(MEDICINES)} by cutting 10% every week while you add {r.choice(SUBSTANCES)}.",
    lambda r: f"Put a dropperful under your tongue {r.choice(TIMES)} for deep, restful sleep.",
    lambda r: f"{r.choice(SUBSTANCES).capitalize()} may help with {r.choice(CONDITIONS)} and supports healthy energy levels.",
]
CLINICAL: list[Callable[[random.Random], str]] = [
    lambda r: (f"In a {r.randint(4, 52)}-week randomised controlled trial of {r.randint(40, 900)} adults, "
               f"{r.choice(SUBSTANCES)} reduced {r.choice(CONDITIONS)} scores compared with placebo{_cite(r)}."),
    lambda r: (f"A {r.randint(2010, 2024)} systematic review found little evidence that {r.choice(SUBSTANCES)} "
               f"improves {r.choice(CONDITIONS)}{_cite(r)}."),
    lambda r: f"Participants took {_amount(r)} a day for eight weeks{_cite(r)}.",
    lambda r: f"The NHS recommends {_amount(r)} of {r.choice(SUBSTANCES)} a day for most adults.",
    lambda r: (f"{r.choice(SUBSTANCES).capitalize()} can interact with {r.choice(MEDICINES)}, so check with "
               f"a pharmacist before combining them."),
    lambda r: f"Talk to your doctor before starting any supplement, especially if you are pregnant.",
    lambda r: f"Side effects reported in trials included nausea, headache and stomach upset{_cite(r)}.",
    lambda r: f"There is not enough evidence to say whether {r.choice(SUBSTANCES)} is safe in pregnancy.",
    lambda r: f"{r.choice(CONDITIONS).capitalize()} affects about {r.randint(2, 40)}% of adults at some point.",
    lambda r: f"Do not stop {r.choice(MEDICINES)} suddenly; your GP can plan a gradual reduction with you.",
    lambda r: f"Ask your pharmacist whether {r.choice(SUBSTANCES)} is right for you.",
    lambda r: (f"Evidence for {r.choice(SUBSTANCES)} in {r.choice(CONDITIONS)} is mixed, and most studies were "
               f"small and short."),
]
NEUTRAL: list[Callable[[random.Random], str]] = [
    lambda r: f"{r.choice(SUBSTANCES).capitalize()} is sold as capsules, powders and liquids.",
    lambda r: f"Store the bottle in a cool, dry place away from direct sunlight.",
    lambda r: f"Shipping is free on orders over $50, and most parcels arrive within three working days.",
    lambda r: f"I started writing about wellness after {r.randint(3, 15)} years working as a nurse.",
    lambda r: f"Leafy greens, nuts, seeds and whole grains are good sources of magnesium.",
    lambda r: f"Sleep hygiene means a regular bedtime, a dark room and less screen time in the evening.",
    lambda r: f"Read the label and keep all supplements out of the reach of children.",
    lambda r: f"Prices were checked on {r.randint(1, 28)} March {r.randint(2022, 2025)}.",
    lambda r: f"This page was reviewed by {r.choice(FIRST)} {r.choice(PEOPLE)}, a registered dietitian.",
]


def sentence(r: random.Random) -> str:
    x = r.random()
    pool = MARKETING if x < 0.4 else CLINICAL if x < 0.75 else NEUTRAL
    return r.choice(pool)(r)


def paragraph(r: random.Random, n: int | None = None) -> str:
    return " ".join(sentence(r) for _ in range(n or r.randint(2, 5)))


def _title(r: random.Random) -> str:
    return r.choice([
        f"{r.randint(5, 15)} Natural Remedies for {r.choice(CONDITIONS).title()}",
        f"{r.choice(SUBSTANCES).capitalize()}: Benefits, Dosage and Side Effects",
        f"Best {r.choice(SUBSTANCES).title()} Supplements of {r.randint(2022, 2025)}",
        f"How I Beat {r.choice(CONDITIONS).title()} Without Medication",
        f"{r.choice(CONDITIONS).capitalize()}: What the Evidence Says",
    ])


def _link(r: random.Random) -> str:
    if r.random() < 0.5:
        return f"[the study](https://doi.org/10.{r.randint(1000, 9999)}/{r.randint(10**5, 10**6)})"
    return f"[buy {r.choice(BRANDS)} here](https://example.com/shop/{r.choice(BRANDS).lower()}?aff={r.randint(1, 999)})"


# -- Markdown ----------------------------------------------------------------------

def md_front(r: random.Random) -> str:
    return (f"---\ntitle: \"{_title(r)}\"\ndescription: \"{sentence(r)}\"\nauthor: {r.choice(FIRST)} "
            f"{r.choice(PEOPLE)}\ndate: {r.randint(2019, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}\n"
            f"tags: [{r.choice(CONDITIONS)}, supplements, wellness]\n---\n\n")


def md_list(r: random.Random) -> str:
    lead = r.choice(["Helps with:", "Benefits:", "Use it for:", "What you need:", "Key points:"])
    items = "\n".join(f"- {r.choice([r.choice(CONDITIONS).capitalize(), sentence(r)])}" for _ in range(r.randint(3, 6)))
    return f"{lead}\n\n{items}\n"


def md_table(r: random.Random) -> str:
    rows = ["| Supplement | Daily serving | Best for | Source |", "| --- | --- | --- | --- |"]
    for _ in range(r.randint(2, 5)):
        source = _cite(r).strip() if r.random() < 0.5 else "—"
        rows.append(f"| {r.choice(SUBSTANCES)} | {_amount(r)} | {r.choice(CONDITIONS)} | {source} |")
    return "\n".join(rows) + "\n"


def md_code(r: random.Random) -> str:
    return (f"```yaml\nproduct: {r.choice(BRANDS)}\ndose: {_amount(r)} {r.choice(TIMES)}\n"
            f"claim: cures {r.choice(CONDITIONS)}\n```\n")


def md_block(r: random.Random) -> str:
    x = r.random()
    if x < 0.12:
        return f"## {_title(r)}\n"
    if x < 0.22:
        return md_list(r)
    if x < 0.28:
        return md_table(r)
    if x < 0.31:
        return md_code(r)
    if x < 0.36:
        return f"> \"{sentence(r)}\" — {r.choice(FIRST)}, a reader in {r.choice(['Ohio', 'Leeds', 'Perth'])}\n"
    if x < 0.45:
        return paragraph(r) + f" See {_link(r)} for details.\n"
    return paragraph(r) + "\n"


def markdown_doc(r: random.Random, size: int) -> str:
    parts = [md_front(r), f"# {_title(r)}\n\n"]
    total = sum(map(len, parts))
    while total < size:
        block = md_block(r) + "\n"
        parts.append(block)
        total += len(block)
    return "".join(parts)


# -- HTML --------------------------------------------------------------------------

def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_block(r: random.Random) -> str:
    x = r.random()
    if x < 0.12:
        return f"<h2>{_esc(_title(r))}</h2>"
    if x < 0.22:
        items = "".join(f"<li>{_esc(r.choice(CONDITIONS).capitalize())}</li>" for _ in range(r.randint(3, 6)))
        return f"<p>Helps with:</p>\n<ul>{items}</ul>"
    if x < 0.28:
        rows = "".join(f"<tr><td>{_esc(r.choice(SUBSTANCES))}</td><td>{_amount(r)}</td>"
                       f"<td>{r.choice(CONDITIONS)}</td></tr>" for _ in range(r.randint(2, 5)))
        return f"<table><tr><th>Supplement</th><th>Daily serving</th><th>Best for</th></tr>{rows}</table>"
    if x < 0.31:
        return f"<pre><code>dose: {_amount(r)} {r.choice(TIMES)}</code></pre>"
    if x < 0.40:
        url = f"https://pubmed.ncbi.nlm.nih.gov/{r.randint(10**7, 4 * 10**7)}/"
        return f"<p>{_esc(paragraph(r))} Read <a href=\"{url}\">the trial</a>.</p>"
    return f"<p>{_esc(paragraph(r))}</p>"


def html_doc(r: random.Random, size: int) -> str:
    title = _esc(_title(r))
    head = (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n"
            f"<meta name=\"description\" content=\"{_esc(sentence(r))}\">\n"
            f"<style>body {{ font-family: sans-serif; }}</style>\n</head>\n<body>\n<h1>{title}</h1>\n")
    parts = [head]
    total = len(head)
    while total < size:
        block = html_block(r) + "\n"
        parts.append(block)
        total += len(block)
    parts.append("<script>window.dataLayer = [];</script>\n</body>\n</html>\n")
    return "".join(parts)


# -- plain text ----------------------------------------------------------------------

def text_doc(r: random.Random, size: int) -> str:
    parts = [_title(r).upper() + "\n\n"]
    total = len(parts[0])
    while total < size:
        block = (paragraph(r) if r.random() < 0.8 else "\n".join(f"* {sentence(r)}" for _ in range(3))) + "\n\n"
        parts.append(block)
        total += len(block)
    return "".join(parts)


KINDS = ((0.6, ".md", markdown_doc), (0.85, ".html", html_doc), (1.0, ".txt", text_doc))


def write_many(out: Path, count: int, size: int, seed: int) -> None:
    r = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    width = len(str(count))
    for i in range(count):
        x = r.random()
        ext, make = next((e, m) for p, e, m in KINDS if x < p)
        target = int(size * r.uniform(0.7, 1.3))
        sub = out / f"{i // 1000:02d}"  # 1,000 files per folder, like a content repo
        sub.mkdir(exist_ok=True)
        (sub / f"article-{i:0{width}d}{ext}").write_text(make(r, target), encoding="utf-8", newline="\n")


def write_big(out: Path, size: int, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    r = random.Random(seed)
    (out / "handbook.md").write_text(markdown_doc(r, size), encoding="utf-8", newline="\n")


CORPORA = {
    "a": lambda out, seed, scale: write_many(out / "a", int(2000 * scale), 5000, seed),
    "b": lambda out, seed, scale: write_big(out / "b", int(10_000_000 * scale), seed + 1),
    "c": lambda out, seed, scale: write_many(out / "c", int(20000 * scale), 500, seed + 2),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", default="a,b,c", help="comma-separated corpora to write (a, b, c)")
    args = ap.parse_args(argv)
    for name in args.only.split(","):
        CORPORA[name.strip()](args.out, args.seed, args.scale)
        print(f"wrote {args.out / name.strip()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
