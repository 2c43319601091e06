// JSON text read in place: the grammar of RFC 8259 §2-7, strings checked as UTF-8 (RFC 3629).
#include "providers/bedrock/json/JsonReader.h"

#include <charconv>
#include <cmath>

namespace quarry::bedrock {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// RFC 8259's insignificant whitespace.
bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hexValue(char c)
{
    if (isDigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The four hex digits of a \u escape at `at` (just after the "u"), or -1.
int hexQuad(QByteArrayView text, qsizetype at)
{
    if (at + 4 > text.size())
        return -1;
    int value = 0;
    for (qsizetype i = at; i < at + 4; ++i) {
        const int digit = hexValue(text[i]);
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

// The length of the UTF-8 sequence starting at `at` if it is well-formed (no overlong forms, no
// surrogates, nothing above U+10FFFF), else 0.
qsizetype utf8SequenceLength(QByteArrayView text, qsizetype at)
{
    const auto byte = [&text](qsizetype i) {
        return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
    };
    const auto continuation = [&byte](qsizetype i, unsigned low = 0x80, unsigned high = 0xbf) {
        return byte(i) >= low && byte(i) <= high;
    };
    const unsigned lead = byte(at);
    if (lead >= 0xc2 && lead <= 0xdf)
        return continuation(at + 1) ? 2 : 0;
    if (lead >= 0xe0 && lead <= 0xef) {
        const unsigned low = lead == 0xe0 ? 0xa0 : 0x80;
        const unsigned high = lead == 0xed ? 0x9f : 0xbf;
        return continuation(at + 1, low, high) && continuation(at + 2) ? 3 : 0;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
        const unsigned low = lead == 0xf0 ? 0x90 : 0x80;
        const unsigned high = lead == 0xf4 ? 0x8f : 0xbf;
        return continuation(at + 1, low, high) && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
    }
    return 0;
}

void appendUtf8(QByteArray &out, char32_t codePoint)
{
    if (codePoint < 0x80) {
        out += char(codePoint);
    } else if (codePoint < 0x800) {
        out += char(0xc0 | (codePoint >> 6));
        out += char(0x80 | (codePoint & 0x3f));
    } else if (codePoint < 0x10000) {
        out += char(0xe0 | (codePoint >> 12));
        out += char(0x80 | ((codePoint >> 6) & 0x3f));
        out += char(0x80 | (codePoint & 0x3f));
    } else {
        out += char(0xf0 | (codePoint >> 18));
        out += char(0x80 | ((codePoint >> 12) & 0x3f));
        out += char(0x80 | ((codePoint >> 6) & 0x3f));
        out += char(0x80 | (codePoint & 0x3f));
    }
}

// The inside of a string scanString() checked, with its escapes decoded. A \u escape of half a
// surrogate pair with no other half becomes U+FFFD, as a UTF-8 decoder treats a broken sequence.
QByteArray unescape(QByteArrayView inner)
{
    QByteArray out;
    out.reserve(inner.size());
    for (qsizetype i = 0; i < inner.size(); ++i) {
        if (inner[i] != '\\') {
            out += inner[i];
            continue;
        }
        const char escape = inner[++i];
        switch (escape) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            char32_t unit = char32_t(hexQuad(inner, i + 1));
            i += 4;
            const bool high = unit >= 0xd800 && unit <= 0xdbff;
            const int next = i + 2 < inner.size() && inner[i + 1] == '\\' && inner[i + 2] == 'u'
                                 ? hexQuad(inner, i + 3)
                                 : -1;
            if (high && next >= 0xdc00 && next <= 0xdfff) {
                unit = 0x10000 + ((unit - 0xd800) << 10) + (char32_t(next) - 0xdc00);
                i += 6;
            } else if (unit >= 0xd800 && unit <= 0xdfff) {
                unit = 0xfffd;
            }
            appendUtf8(out, unit);
            break;
        }
        default:
            out += escape; // " \ /
        }
    }
    return out;
}

} // namespace

JsonReader::Kind JsonReader::peek()
{
    skipWhitespace();
    if (m_pos >= m_text.size())
        return Kind::None;
    switch (m_text[m_pos]) {
    case '{':
        return Kind::Object;
    case '[':
        return Kind::Array;
    case '"':
        return Kind::String;
    case 't':
    case 'f':
        return Kind::Bool;
    case 'n':
        return Kind::Null;
    default:
        return m_text[m_pos] == '-' || isDigit(m_text[m_pos]) ? Kind::Number : Kind::None;
    }
}

std::optional<QString> JsonReader::readString()
{
    if (peek() != Kind::String) {
        skipValue();
        return std::nullopt;
    }
    QByteArrayView inner;
    const auto escaped = scanString(inner);
    if (!escaped)
        return std::nullopt;
    return *escaped ? QString::fromUtf8(unescape(inner)) : QString::fromUtf8(inner);
}

std::optional<double> JsonReader::readNumber()
{
    if (peek() != Kind::Number) {
        skipValue();
        return std::nullopt;
    }
    const qsizetype start = m_pos;
    if (!scanNumber())
        return std::nullopt;
    double value = 0;
    const char *end = m_text.data() + m_pos;
    const auto [stop, error] = std::from_chars(m_text.data() + start, end, value);
    if (error != std::errc() || stop != end)
        return std::nullopt; // outside a double's range
    return value;
}

std::optional<qint64> JsonReader::readInteger()
{
    const auto number = readNumber();
    if (!number || *number != std::floor(*number) || std::fabs(*number) > 9007199254740992.0)
        return std::nullopt;
    return static_cast<qint64>(*number);
}

std::optional<bool> JsonReader::readBool()
{
    if (peek() != Kind::Bool) {
        skipValue();
        return std::nullopt;
    }
    const bool value = m_text[m_pos] == 't';
    if (!skipLiteral(value ? "true" : "false"))
        return std::nullopt;
    return value;
}

QByteArray JsonReader::readCompact()
{
    peek();
    const qsizetype start = m_pos;
    skipValue();
    if (failed())
        return {};
    // Written through a pointer into a buffer of the value's size, then cut to what was written:
    // appending byte by byte cost more than checking the value's syntax (tool schemas are kilobytes).
    QByteArray compact(m_pos - start, Qt::Uninitialized);
    char *out = compact.data();
    bool inString = false;
    for (qsizetype i = start; i < m_pos; ++i) {
        const char c = m_text[i];
        if (inString) {
            *out++ = c;
            if (c == '\\')
                *out++ = m_text[++i];
            else if (c == '"')
                inString = false;
        } else if (!isWhitespace(c)) {
            *out++ = c;
            inString = c == '"';
        }
    }
    compact.truncate(out - compact.constData());
    return compact;
}

void JsonReader::skipValue()
{
    QByteArrayView ignored;
    switch (peek()) {
    case Kind::Object:
        readObject([](QByteArrayView) {});
        break;
    case Kind::Array:
        readArray([] {});
        break;
    case Kind::String:
        scanString(ignored);
        break;
    case Kind::Number:
        scanNumber();
        break;
    case Kind::Bool:
        skipLiteral(m_text[m_pos] == 't' ? "true" : "false");
        break;
    case Kind::Null:
        skipLiteral("null");
        break;
    case Kind::None:
        fail(m_pos < m_text.size() ? "expected a value" : "unexpected end of text");
    }
}

bool JsonReader::finish()
{
    skipWhitespace();
    if (m_pos < m_text.size())
        fail("text after the value");
    return !failed();
}

QString JsonReader::error() const
{
    return QStringLiteral("invalid JSON at offset %1: %2").arg(m_errorOffset).arg(m_error);
}

bool JsonReader::enterContainer(char open)
{
    if (peek() == Kind::None || m_text[m_pos] != open) {
        skipValue();
        return false;
    }
    if (m_depth == MaxDepth) {
        fail("nested too deeply");
        return false;
    }
    ++m_pos;
    ++m_depth;
    return true;
}

// Before each member or element: true at the container's end (or after an error), which it
// consumes; otherwise consumes the separating comma.
bool JsonReader::atContainerEnd(char close, bool first)
{
    skipWhitespace();
    if (failed())
        return true;
    if (m_pos >= m_text.size()) {
        fail(close == '}' ? "unterminated object" : "unterminated array");
        return true;
    }
    if (m_text[m_pos] == close) {
        ++m_pos;
        return true;
    }
    if (first)
        return false;
    if (m_text[m_pos] != ',') {
        fail(close == '}' ? "expected , or } in an object" : "expected , or ] in an array");
        return true;
    }
    ++m_pos;
    skipWhitespace();
    if (m_pos < m_text.size() && m_text[m_pos] == close)
        fail("a comma before the end of a container");
    return failed();
}

std::optional<QByteArrayView> JsonReader::readKey()
{
    skipWhitespace();
    if (m_pos >= m_text.size() || m_text[m_pos] != '"') {
        fail("expected a member name");
        return std::nullopt;
    }
    QByteArrayView key;
    const auto escaped = scanString(key);
    if (!escaped)
        return std::nullopt;
    if (*escaped) {
        m_unescaped = unescape(key);
        key = m_unescaped;
    }
    skipWhitespace();
    if (m_pos >= m_text.size() || m_text[m_pos] != ':') {
        fail("expected : after a member name");
        return std::nullopt;
    }
    ++m_pos;
    skipWhitespace();
    return key;
}

std::optional<bool> JsonReader::scanString(QByteArrayView &inner)
{
    bool escaped = false;
    qsizetype i = m_pos + 1;
    while (i < m_text.size()) {
        const auto c = static_cast<unsigned char>(m_text[i]);
        if (c == '"') {
            inner = m_text.sliced(m_pos + 1, i - m_pos - 1);
            m_pos = i + 1;
            return escaped;
        }
        qsizetype length = 1;
        if (c == '\\') {
            escaped = true;
            const char escape = i + 1 < m_text.size() ? m_text[i + 1] : '\0';
            if (escape == 'u')
                length = hexQuad(m_text, i + 2) >= 0 ? 6 : 0;
            else
                length = QByteArrayView("\"\\/bfnrt").contains(escape) && escape != '\0' ? 2 : 0;
            if (length == 0) {
                m_pos = i;
                fail("invalid escape in a string");
                return std::nullopt;
            }
        } else if (c < 0x20) {
            m_pos = i;
            fail("control character in a string");
            return std::nullopt;
        } else if (c >= 0x80 && (length = utf8SequenceLength(m_text, i)) == 0) {
            m_pos = i;
            fail("invalid UTF-8 in a string");
            return std::nullopt;
        }
        i += length;
    }
    m_pos = i;
    fail("unterminated string");
    return std::nullopt;
}

bool JsonReader::scanNumber()
{
    const auto digits = [this] {
        const qsizetype from = m_pos;
        while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            ++m_pos;
        return m_pos > from;
    };
    const auto next = [this](char c) {
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    };
    next('-');
    if (next('0')) {
        if (m_pos < m_text.size() && isDigit(m_text[m_pos])) {
            fail("a number with a leading zero");
            return false;
        }
    } else if (!digits()) {
        fail("invalid number");
        return false;
    }
    if (next('.') && !digits()) {
        fail("invalid number");
        return false;
    }
    if (next('e') || next('E')) {
        if (!next('+'))
            next('-');
        if (!digits()) {
            fail("invalid number");
            return false;
        }
    }
    return true;
}

bool JsonReader::skipLiteral(QByteArrayView literal)
{
    if (!m_text.sliced(m_pos).startsWith(literal)) {
        fail("invalid literal");
        return false;
    }
    m_pos += literal.size();
    return true;
}

void JsonReader::skipWhitespace()
{
    while (m_pos < m_text.size() && isWhitespace(m_text[m_pos]))
        ++m_pos;
}

void JsonReader::fail(const char *what)
{
    if (failed())
        return;
    m_error = QString::fromLatin1(what);
    m_errorOffset = m_pos;
    m_pos = m_text.size();
}

} // namespace quarry::bedrock
