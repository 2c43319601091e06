// Renders text from clients safe for a terminal, a log line or a label: control and bidi characters
// become visible escapes, so a model id with %0A cannot forge a log line and %1B cannot drive a terminal.
#pragma once

#include <QString>
#include <QStringView>

namespace quarry::util {

// Characters escaped:
// - C0 controls, DEL and C1 controls (U+0080–U+009F; U+009B is a one-byte CSI in some terminals):
//   \n, \r, \t by name, the rest as \xHH;
// - the Unicode line and paragraph separators U+2028/U+2029 (line breaks to some viewers);
// - bidi controls U+061C, U+200E/200F, U+202A–U+202E, U+2066–U+2069, which reorder what is shown
//   (the "Trojan Source" trick): \uHHHH;
// - the backslash itself, as \\, so an escape in the output always means one in the input.
inline bool needsEscape(char16_t c)
{
    if (c >= 0x20 && c < 0x7f) // printable ASCII, nearly every character of a log line: one range check
        return c == u'\\';
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028 ||
           c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

// Appends `text` to `out`, escaped: for building a line without a copy of each part.
inline void appendEscapedControl(QString &out, QStringView text)
{
    qsizetype first = 0;
    while (first < text.size() && !needsEscape(text[first].unicode()))
        ++first;
    out.append(text.first(first)); // the usual case: all of it, nothing to escape
    if (first == text.size())
        return;
    out.reserve(out.size() + text.size() - first + 16);
    const auto hex = [](uint value, int digits) {
        return QString::number(value, 16).rightJustified(digits, u'0');
    };
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (!needsEscape(c)) {
            out.append(QChar(c));
            continue;
        }
        switch (c) {
        case u'\n':
            out.append(u"\\n");
            break;
        case u'\r':
            out.append(u"\\r");
            break;
        case u'\t':
            out.append(u"\\t");
            break;
        case u'\\':
            out.append(u"\\\\");
            break;
        default:
            if (c <= 0xff)
                out.append(u"\\x" + hex(c, 2));
            else
                out.append(u"\\u" + hex(c, 4));
        }
    }
}

inline QString escapeControl(QStringView text)
{
    QString out;
    appendEscapedControl(out, text);
    return out;
}

} // namespace quarry::util
