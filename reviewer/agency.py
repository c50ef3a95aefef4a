"""An agency's name as reports across years are matched on it. Titles and 落款 write the same agency
differently: with or without the city or province a county or district belongs to ("洪泽区人民政府" /
"淮安市洪泽区人民政府"), as 人民政府, 政府 or its 办公室 that compiles the report, full- or half-width,
with spaces and brackets. ``agency_key`` is the name with all of that but the place prefix folded;
``same_agency`` also accepts a prefix on one side only, or one prefix ending the other ("江苏省淮安市" /
"淮安市") — never two different cities' districts of the same name (南京市鼓楼区 / 福州市鼓楼区)."""

from __future__ import annotations

import unicodedata

from reviewer.lazyre import lazy

_NOISE = lazy(r"[\s\u3000()（）〔〕\[\]【】<>《》“”\"'·・,，.。、:：;；-]+")
_SUFFIX = lazy(r"(?:人民)?政府(?:办公室)?$")
# A province and/or a city before a county-level name ("江苏省淮安市" + "洪泽区…").
_PROVINCE = lazy(r"[^省市县区]{2,7}?(?:省|自治区)")
_CITY = lazy(r"[^省市县区]{1,7}?(?:市|自治州|地区|盟)")
_COUNTY = lazy(r".{1,8}?(?:区|县|旗|市)")


def agency_key(agency: str | None) -> str | None:
    """The agency name as batches match it: full-width folded, without spaces, punctuation and the
    人民政府/政府/办公室 ending (the place prefix is kept: ``split`` separates it)."""
    if not agency:
        return None
    key = _NOISE.sub("", unicodedata.normalize("NFKC", agency))
    bare = _SUFFIX.sub("", key)
    return (bare or key) or None


def split(key: str) -> tuple[str, str]:
    """(place prefix, the rest): ("淮安市", "洪泽区") for "淮安市洪泽区", ("江西省", "临川市生态环境局");
    ("", key) when the rest would not start with a county-level name ("淮安市财政局" stays whole)."""
    province = _PROVINCE.match(key)
    after = province.end() if province else 0
    city = _CITY.match(key, after)
    for end in (city.end() if city else 0, after):  # the longest prefix first: province and city, province
        if end and key[end:] and _COUNTY.match(key, end):
            return key[:end], key[end:]
    return "", key


def short_key(key: str | None) -> str | None:
    """The key without its place prefix (what pairs are looked up by)."""
    return split(key)[1] if key else None


def compatible(a: str | None, b: str | None) -> bool:
    """Two agency keys naming the same agency: equal, or the same below the place prefix with the
    prefix missing on one side or one prefix ending the other."""
    if not a or not b:
        return False
    if a == b:
        return True
    (pa, ra), (pb, rb) = split(a), split(b)
    return ra == rb and (not pa or not pb or pa.endswith(pb) or pb.endswith(pa))


def same_agency(a: str | None, b: str | None) -> bool:
    """Whether two agency names (as written) name the same agency."""
    return compatible(agency_key(a), agency_key(b))
