// Writing JSON text directly, for the documents built on every proxied request: QJsonDocument
// builds a whole document as CBOR before writing it, and took ~40,000 instructions (more than the
// rest of the translation) for one small chat answer.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace quarry::util {

// Appends UTF-8 text as a JSON string (RFC 8259 §7): quoted, with quotation mark, reverse solidus
// and the control characters escaped.
inline void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    qsizetype plainFrom = 0; // runs without escapes are appended whole
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8.at(i));
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8.constData() + plainFrom, i - plainFrom);
        plainFrom = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(utf8.constData() + plainFrom, utf8.size() - plainFrom);
    out += '"';
}

inline void appendJsonString(QByteArray &out, QStringView text)
{
    appendJsonString(out, QByteArrayView(text.toUtf8()));
}

} // namespace quarry::util
