"""Hostile strings the security tests put wherever text or an address goes (titles, marks, links, cells)."""

from __future__ import annotations

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '</title><script>alert(1)</script> & "引号"',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)>",
    "<b onmouseover=alert(1)>粗</b>",
    "{{ 7*7 }}{% raw %}",
    "]]><![CDATA[<script>alert(1)</script>",
    "\u2028\u2029<!--",
]

# Link targets that must never become a live link.
HOSTILE_HREFS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    'https://a.cn/" onmouseover="alert(1)',
]
