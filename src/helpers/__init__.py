"""Helpers of the AI-war report: data loading, charts, language, publishing.

Notebooks stay thin: they call into these modules, where pytest can reach the logic.
"""

import sys

# jsonschema's optional "iri" format check imports rfc3987-syntax, which takes about 0.9 s in every
# process that imports nbformat (see jsonschema PR #1521). Nothing here validates IRIs, so the
# import is declined; jsonschema then simply skips that one format.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
