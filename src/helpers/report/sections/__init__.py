"""The report's sections, one module each, in the order of their `ORDER` numbers.

A section module defines `ORDER` (its place: lower comes first) and `build(ctx) -> Section`. Adding
a section is one module here, one template `templates/sections/<name>.html.j2` and its texts in the
catalogues; figure numbers, anchors and the table of contents follow this order.
"""

import importlib
import pkgutil
from types import ModuleType


def section_modules() -> list[ModuleType]:
    """Every section module of this package, in report order."""
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    missing = [module.__name__ for module in modules if not hasattr(module, "ORDER")]
    if missing:
        raise LookupError(f"section module {missing[0]} has no ORDER")
    return sorted(modules, key=lambda module: (module.ORDER, module.__name__))


def section_keys() -> list[str]:
    """The keys (module names) of the sections, in report order."""
    return [module.__name__.rsplit(".", 1)[1] for module in section_modules()]
