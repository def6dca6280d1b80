"""Small rule files the CLI, config, suppression and baseline tests share,
so their behaviour does not depend on the core pack's contents."""

DOSE_HYPE_RULES = r"""
rules:
  - code: TS101
    name: test-dose
    category: dose
    severity: warning
    type: existence
    message: "Dose '{match}'"
    patterns: ['\btake \d+ mg\b']
    examples: {flag: ["take 5 mg"], pass: ["rest well"]}
  - code: TS501
    name: test-miracle
    category: hype
    severity: error
    type: existence
    message: "'{match}' is hype"
    patterns: ['\bmiracle\b']
    examples: {flag: ["a miracle"], pass: ["rest well"]}
"""

DOSE_HYPE_CONSULT_RULES = DOSE_HYPE_RULES + r"""  - code: TS701
    name: test-consult
    category: consult
    severity: warning
    type: document-requires
    message: "No consult notice"
    when-categories: [dose]
    requires: ['\bask your doctor\b']
    examples: {flag: ["take 5 mg"], pass: ["take 5 mg. ask your doctor"]}
"""
