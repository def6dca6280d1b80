"""Every rule type, by the name a pack's `type:` uses. Add new types here."""
from __future__ import annotations

from .document_requires import DocumentRequires
from .existence import Existence
from .list_claim import ListClaim
from .requires_citation import RequiresCitation
from .substitution import Substitution
from .watchlist import Watchlist

RULE_TYPES = {
    "existence": Existence,
    "substitution": Substitution,
    "requires-citation": RequiresCitation,
    "document-requires": DocumentRequires,
    "watchlist": Watchlist,
    "list-claim": ListClaim,
}
