// JsonReader (the pull reader Converse answers are read with) against QJsonDocument, a parser not
// written here: every text the reader accepts, Qt accepts too, with the same values.
#include "providers/bedrock/json/JsonReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace quarry::bedrock;

namespace {

struct Converted
{
    QJsonValue value;
    bool numberOutOfRange = false; // QJsonDocument refuses such a number; the reader reads it as no number
};

// The reader's next value as a QJsonValue, built with the reader's own calls.
QJsonValue read(JsonReader &reader, Converted &out)
{
    switch (reader.peek()) {
    case JsonReader::Kind::Object: {
        QJsonObject object;
        reader.readObject([&](QByteArrayView key) {
            const QString name = QString::fromUtf8(key); // before the value's reads reuse the key
            object.insert(name, read(reader, out));
        });
        return object;
    }
    case JsonReader::Kind::Array: {
        QJsonArray array;
        reader.readArray([&] { array.append(read(reader, out)); });
        return array;
    }
    case JsonReader::Kind::String: return reader.readString().value_or(QString());
    case JsonReader::Kind::Number: {
        const auto number = reader.readNumber();
        out.numberOutOfRange = out.numberOutOfRange || !number;
        return number.value_or(0);
    }
    case JsonReader::Kind::Bool: return reader.readBool().value_or(false);
    case JsonReader::Kind::Null: reader.skipValue(); return QJsonValue::Null;
    case JsonReader::Kind::None: reader.skipValue(); return {};
    }
    return {};
}

// Qt's value in the reader's terms: the reader makes half a surrogate pair from a \u escape
// U+FFFD (Qt keeps it), and reads every number as a double (Qt keeps integers as qint64).
QJsonValue normalized(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        QString text = value.toString();
        for (qsizetype i = 0; i < text.size(); ++i) {
            const bool pair = text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate();
            if (pair)
                ++i;
            else if (text[i].isSurrogate())
                text[i] = QChar::ReplacementCharacter;
        }
        return text;
    }
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &element : value.toArray())
            array.append(normalized(element));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject original = value.toObject();
        for (auto member = original.begin(); member != original.end(); ++member)
            object.insert(normalized(member.key()).toString(), normalized(member.value()));
        return object;
    }
    return value;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    JsonReader reader(text);
    Converted ours;
    const JsonReader::Kind kind = reader.peek();
    ours.value = read(reader, ours);
    const bool accepted = reader.finish();

    // QJsonDocument reads only an object or an array at the top, and no number beyond a double.
    const bool comparable = kind == JsonReader::Kind::Object || kind == JsonReader::Kind::Array;
    if (!comparable || ours.numberOutOfRange)
        return 0;
    // One way only: QJsonDocument accepts some texts RFC 8259 does not (".5", "1.", a raw tab
    // in a string, "\q"; tst_bedrock_json_reader lists them), so the reader may refuse more.
    if (!accepted)
        return 0;
    QJsonParseError error;
    const QJsonDocument theirs = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        std::abort();
    const QJsonValue expected = theirs.isObject() ? QJsonValue(theirs.object()) : QJsonValue(theirs.array());
    if (normalized(expected) != ours.value)
        std::abort();
    return 0;
}
