// A pull reader for JSON text (RFC 8259), for documents read on every proxied request: it reads
// values straight into the caller's typed structs, with no document in between. QJsonDocument
// took ~25,000 instructions to parse a ~170-byte Converse answer, more than the rest of its
// translation.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace quarry::bedrock {

class JsonReader
{
public:
    enum class Kind { Object, Array, String, Number, Bool, Null, None };

    // A UTF-8 byte order mark before the text is skipped, as RFC 8259 §8.1 lets a parser do (and as
    // Qt's parser does): a body saved by a Windows editor starts with one. Offsets count it.
    explicit JsonReader(QByteArrayView text) : m_text(text), m_pos(text.startsWith("\xEF\xBB\xBF") ? 3 : 0) {}

    // The kind of the next value; None at the end of the text or after an error.
    Kind peek();

    // Each value is read by exactly one call below. A read of the wrong kind skips the value
    // (checking its syntax) and returns nullopt / false: the caller decides whether the field
    // was required. Syntax errors stop the reader (see failed()).

    // An object: onMember(key) runs for each member with the reader at the member's value; a
    // value onMember leaves unread is skipped. Keys are UTF-8, valid until the next read.
    template <typename OnMember> bool readObject(OnMember &&onMember);
    // An array: onElement() runs for each element, which it reads or leaves to be skipped.
    template <typename OnElement> bool readArray(OnElement &&onElement);
    std::optional<QString> readString();
    std::optional<double> readNumber();
    // A number with a whole value JavaScript can hold exactly (|n| <= 2^53).
    std::optional<qint64> readInteger();
    std::optional<bool> readBool();
    // Any value, as JSON text without insignificant whitespace (a tool call's input, passed on).
    QByteArray readCompact();
    void skipValue();

    // After the top-level value: only whitespace may follow.
    bool finish();
    bool failed() const { return !m_error.isEmpty(); }
    // "invalid JSON at offset 12: unterminated string"
    QString error() const;

private:
    static constexpr int MaxDepth = 1024; // as QJsonDocument's parser

    bool enterContainer(char open);
    bool atContainerEnd(char close, bool first);
    std::optional<QByteArrayView> readKey();
    // Scans the string at m_pos (an opening quote) to its end; true if it holds escapes.
    std::optional<bool> scanString(QByteArrayView &inner);
    bool scanNumber();
    bool skipLiteral(QByteArrayView literal);
    void skipWhitespace();
    void fail(const char *what);

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    int m_depth = 0;
    QByteArray m_unescaped; // an escaped key, decoded
    QString m_error;
    qsizetype m_errorOffset = 0;
};

template <typename OnMember> bool JsonReader::readObject(OnMember &&onMember)
{
    if (!enterContainer('{'))
        return false;
    for (bool first = true; !atContainerEnd('}', first); first = false) {
        const auto key = readKey();
        if (!key)
            return false;
        const qsizetype valueAt = m_pos;
        onMember(*key);
        if (m_pos == valueAt)
            skipValue();
    }
    --m_depth;
    return !failed();
}

template <typename OnElement> bool JsonReader::readArray(OnElement &&onElement)
{
    if (!enterContainer('['))
        return false;
    for (bool first = true; !atContainerEnd(']', first); first = false) {
        skipWhitespace();
        const qsizetype valueAt = m_pos;
        onElement();
        if (m_pos == valueAt)
            skipValue();
    }
    --m_depth;
    return !failed();
}

} // namespace quarry::bedrock
