"""A content key for a chart, so that `ai-war preview` redraws only the charts an edit changed.

A chart (`FigureSpec.draw`) is a function of an `Axes` whose data reaches it through its closure:
the key hashes that closure (DataFrames by content, dtypes and labels included), the values of
the module-level constants it names, its code, its size, the section's name and language, and
the digest of every file of the package (code, templates, catalogues, house style) and of the
schema, `data/datapackage.json`, which the package reads once. Anything else a chart could
depend on (an object of a kind not listed in `_feed`) makes the chart unkeyable: it is drawn, not
looked up. The build never uses the key; only the preview's figure cache does.
"""

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import re
import types
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

from helpers.paths import DATA_DIR, PACKAGE_DIR

MAX_DEPTH = 12  # nesting of closures and containers walked before giving up


class Unkeyable(TypeError):
    """A value whose content the key cannot vouch for."""


@functools.cache
def package_digest(
    package: Path = PACKAGE_DIR, schema: Path = DATA_DIR / "datapackage.json"
) -> str:
    """Digest of every file of the package and of the schema: read once per import, so once per
    preview run (the preview imports the package again for each run)."""
    digest = hashlib.sha256(matplotlib.__version__.encode())
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, schema]:
        digest.update(str(path.relative_to(path.anchor)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def figure_key(draw: types.FunctionType, size: tuple[float, float], name: str, lang: str) -> str:
    """The key of the chart `draw` of section `name` in `lang`; raises Unkeyable."""
    digest = hashlib.sha256(f"{package_digest()}\0{name}\0{lang}\0{size!r}\0".encode())
    _feed(digest, draw, 0, set())
    return digest.hexdigest()


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    parts = [repr(list(frame.columns)).encode(), repr(list(frame.dtypes)).encode()]
    parts.append(_series_bytes(frame.index.to_series()))
    parts += [_series_bytes(frame[column]) for column in frame.columns]
    return b"\0".join(parts)


def _series_bytes(series: pd.Series) -> bytes:
    values = series.reset_index(drop=True)
    if values.dtype == object:  # strings, tuples of ids, mixed: by their repr, exact for floats
        values = values.map(repr)
    hashed = pd.util.hash_pandas_object(values, index=False).to_numpy().tobytes()
    return f"{series.name!r}:{series.dtype!r}:".encode() + hashed


def _feed(digest, value: object, depth: int, seen: set[int]) -> None:
    """Add `value` to `digest` by content; raise Unkeyable for what cannot be vouched for."""
    if depth > MAX_DEPTH:
        raise Unkeyable("nested too deep")
    update = digest.update
    kind = type(value)
    update(f"<{kind.__module__}.{kind.__qualname__}>".encode())
    if value is None or isinstance(value, bool | int | float | complex | str | bytes):
        update(repr(value).encode())
    elif isinstance(value, dt.date | dt.time | dt.timedelta | np.generic | enum.Enum | re.Pattern):
        update(repr(value).encode())  # pd.Timestamp is a dt.datetime
    elif isinstance(value, pd.DataFrame):
        update(_frame_bytes(value))
    elif isinstance(value, pd.Series):
        update(_frame_bytes(value.to_frame(name=value.name if value.name is not None else 0)))
    elif isinstance(value, pd.Index):
        update(_series_bytes(value.to_series()))
    elif isinstance(value, np.ndarray):
        if value.dtype == object:
            _feed(digest, value.tolist(), depth + 1, seen)
        else:
            update(f"{value.dtype}{value.shape}".encode() + value.tobytes())
    elif isinstance(value, tuple | list):
        update(f"{len(value)}".encode())
        for item in value:
            _feed(digest, item, depth + 1, seen)
    elif isinstance(value, set | frozenset):
        update(f"{len(value)}".encode())
        for item in sorted(value, key=repr):
            _feed(digest, item, depth + 1, seen)
    elif isinstance(value, dict):
        update(f"{len(value)}".encode())
        for key, item in value.items():
            _feed(digest, key, depth + 1, seen)
            _feed(digest, item, depth + 1, seen)
    elif isinstance(value, types.FunctionType):
        _feed_function(digest, value, depth, seen)
    elif isinstance(value, types.MethodType):
        _feed(digest, value.__func__, depth + 1, seen)
        _feed(digest, value.__self__, depth + 1, seen)
    elif isinstance(value, functools.partial):
        _feed(digest, (value.func, value.args, value.keywords), depth + 1, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _feed(digest, item.name, depth + 1, seen)
            _feed(digest, getattr(value, item.name), depth + 1, seen)
    elif isinstance(value, types.ModuleType | types.BuiltinFunctionType | type):
        update(getattr(value, "__name__", "").encode())  # code: in the package digest
    else:
        raise Unkeyable(f"a {kind.__qualname__} in a chart's closure")


def _feed_function(digest, function: types.FunctionType, depth: int, seen: set[int]) -> None:
    if id(function) in seen:  # a function that refers to itself
        digest.update(b"<again>")
        return
    seen.add(id(function))
    _feed_code(digest, function.__code__)
    _feed(digest, function.__defaults__, depth + 1, seen)
    _feed(digest, function.__kwdefaults__, depth + 1, seen)
    for cell in function.__closure__ or ():
        try:
            contents = cell.cell_contents
        except ValueError:  # a cell not filled yet
            digest.update(b"<empty>")
            continue
        _feed(digest, contents, depth + 1, seen)
    names = _global_names(function.__code__)
    for name in sorted(names & function.__globals__.keys()):
        value = function.__globals__[name]
        digest.update(name.encode())
        if isinstance(value, types.FunctionType) and value.__module__.startswith("helpers"):
            # the package's functions: their code is in the package digest; what they close
            # over (module-level functions close over nothing) is walked all the same
            if value.__closure__:
                _feed_function(digest, value, depth + 1, seen)
            continue
        if isinstance(value, types.FunctionType):
            digest.update(f"{value.__module__}.{value.__qualname__}".encode())
            continue
        _feed(digest, value, depth + 1, seen)


def _feed_code(digest, code: types.CodeType) -> None:
    digest.update(code.co_code + repr(code.co_names).encode() + code.co_qualname.encode())
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            _feed_code(digest, constant)
        else:
            digest.update(repr(constant).encode())


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _global_names(constant)
    return names
