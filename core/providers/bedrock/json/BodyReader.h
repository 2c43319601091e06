// What the readers of client request bodies (OpenAI chat, Anthropic Messages) share: the pull
// reader over the body, the first field error kept while reading goes on to the end (so a body
// that is not JSON at all is reported as such, whatever field came first), and the reads of
// optional fields, where null means absent.
#pragma once

#include "providers/bedrock/json/JsonReader.h"
#include "util/StrictJson.h"

#include <QList>
#include <QString>
#include <QStringBuilder>
#include <QStringList>

#include <optional>
#include <type_traits>

namespace quarry::bedrock {

// What a reader of array elements (a function of the element's path) returns, when it returns one.
template <typename ReadElement>
using ElementOf = typename std::invoke_result_t<ReadElement, const QString &>::value_type;

class BodyReader
{
protected:
    explicit BodyReader(QByteArrayView body) : m_reader(body) {}

    // Reads the body's top-level object, each member by readField(key), then runs checkWhole() for
    // what needs the whole body. The error to report, if any: invalid JSON anywhere, then a body
    // that is not an object, then the first field error.
    template <typename ReadField, typename CheckWhole>
    std::optional<QString> readBody(ReadField readField, CheckWhole checkWhole)
    {
        const bool isObject = m_reader.peek() == JsonReader::Kind::Object;
        if (isObject)
            m_reader.readObject(readField);
        else
            m_reader.skipValue();
        if (!m_reader.finish())
            return m_reader.error();
        if (!isObject)
            return QStringLiteral("request body: must be a JSON object");
        checkWhole();
        if (!m_error.isEmpty())
            return m_error;
        return std::nullopt;
    }

    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }

    // Optional fields treat null like absent: some clients serialise unset options as null.
    bool skipNull()
    {
        if (m_reader.peek() != JsonReader::Kind::Null)
            return false;
        m_reader.skipValue();
        return true;
    }

    // A string member sent as another kind reads as empty, as Qt's toString() made it.
    QString readStringOrEmpty() { return m_reader.readString().value_or(QString()); }

    // The optional fields of a body: null or absent leaves `into` as it is.
    void readString(const QString &field, QString &into)
    {
        if (skipNull())
            return;
        if (auto value = m_reader.readString())
            into = std::move(*value);
        else
            fail(field % QStringLiteral(": must be a string"));
    }

    void readBool(const QString &field, bool &into)
    {
        if (skipNull())
            return;
        if (const auto value = m_reader.readBool())
            into = *value;
        else
            fail(field % QStringLiteral(": must be a boolean"));
    }

    void readNumber(const QString &field, std::optional<double> &into)
    {
        if (skipNull())
            return;
        if (const auto value = m_reader.readNumber())
            into = *value;
        else
            fail(field % QStringLiteral(": must be a number"));
    }

    // A whole number JavaScript can hold exactly, at least minimum; nullopt after a field error.
    std::optional<qint64> readInteger(const QString &field, qint64 minimum)
    {
        const auto value = m_reader.readInteger();
        if (!value)
            fail(field % QStringLiteral(": must be an integer"));
        else if (*value < minimum)
            fail(field % QStringLiteral(": must be at least ") % QString::number(minimum));
        else
            return value;
        return std::nullopt;
    }

    // The elements of an array, each read by readElement(its path, e.g. "messages[2]"); those it
    // returns nothing for (after a field error) are left out.
    template <typename ReadElement>
    QList<ElementOf<ReadElement>> readElements(const QString &path, ReadElement readElement)
    {
        QList<ElementOf<ReadElement>> elements;
        qsizetype index = 0;
        m_reader.readArray([&] {
            if (auto element = readElement(util::elementPath(path, index++)))
                elements.append(std::move(*element));
        });
        return elements;
    }

    // An array of strings (the reader is at the array).
    QStringList readStringList(const QString &path)
    {
        return readElements(path, [this](const QString &elementPath) {
            auto text = m_reader.readString();
            if (!text)
                fail(elementPath % QStringLiteral(": must be a string"));
            return text;
        });
    }

    JsonReader m_reader;

private:
    QString m_error;
};

} // namespace quarry::bedrock
