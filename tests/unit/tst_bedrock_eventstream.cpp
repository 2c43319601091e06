// Event-stream codec against frames encoded by the AWS SDK for JavaScript (tests/data/eventstream).
#include "providers/bedrock/eventstream/EventStreamDecoder.h"
#include "providers/bedrock/eventstream/EventStreamEncoder.h"

#include "TestSupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>
#include <QUuid>
#include <QtEndian>

#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

namespace {

// Expected messages, built from expected.json without going through the code under test.
QList<EventStreamMessage> expectedMessages(const QString &file)
{
    const QJsonObject all =
        QJsonDocument::fromJson(quarry::test::readData(u"eventstream/expected.json"_s)).object();
    QList<EventStreamMessage> messages;
    for (const QJsonValue &m : all.value(file).toObject().value(u"messages").toArray()) {
        EventStreamMessage message;
        for (const QJsonValue &h : m[u"headers"].toArray()) {
            const auto type = quint8(h[u"type"].toInt());
            const QJsonValue v = h[u"value"];
            QVariant value;
            switch (type) {
            case 0:
            case 1:
                value = v.toBool();
                break;
            case 2:
            case 3:
            case 4:
                value = v.toInt();
                break;
            case 5:
                value = v.toString().toLongLong();
                break;
            case 6:
                value = QByteArray::fromBase64(v.toString().toLatin1());
                break;
            case 7:
                value = v.toString();
                break;
            case 8:
                value = QDateTime::fromMSecsSinceEpoch(qint64(v.toDouble()), QTimeZone::utc());
                break;
            case 9:
                value = QUuid::fromString(v.toString());
                break;
            }
            message.headers.append({h[u"name"].toString(), value, type});
        }
        message.payload = QByteArray::fromBase64(m[u"payloadBase64"].toString().toLatin1());
        messages.append(message);
    }
    return messages;
}

// Frame offsets/lengths from expected.json, to slice single frames out of a fixture.
QList<QPair<qsizetype, qsizetype>> frameSpans(const QString &file)
{
    const QJsonObject all =
        QJsonDocument::fromJson(quarry::test::readData(u"eventstream/expected.json"_s)).object();
    QList<QPair<qsizetype, qsizetype>> spans;
    for (const QJsonValue &m : all.value(file).toObject().value(u"messages").toArray())
        spans.append({m[u"offset"].toInteger(), m[u"length"].toInteger()});
    return spans;
}

// Feeds `bytes` in the given chunk sizes and collects every message; fails the test on an error.
QList<EventStreamMessage> decodeInChunks(const QByteArray &bytes, const QList<qsizetype> &chunkSizes)
{
    EventStreamDecoder decoder;
    QList<EventStreamMessage> out;
    qsizetype pos = 0;
    for (qsizetype size : chunkSizes) {
        decoder.feed(QByteArrayView(bytes).sliced(pos, size));
        pos += size;
        while (auto next = decoder.next()) {
            if (!next->ok()) {
                qWarning("decode error: %s", qPrintable(next->error()));
                return {};
            }
            out.append(next->value());
        }
    }
    if (decoder.bufferedBytes() != 0)
        qWarning("%lld bytes left over", qlonglong(decoder.bufferedBytes()));
    return out;
}

void compareMessages(const QList<EventStreamMessage> &actual, const QList<EventStreamMessage> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual[i].headers.size(), expected[i].headers.size());
        for (qsizetype h = 0; h < actual[i].headers.size(); ++h) {
            QCOMPARE(actual[i].headers[h].name, expected[i].headers[h].name);
            QCOMPARE(actual[i].headers[h].type, expected[i].headers[h].type);
            QCOMPARE(actual[i].headers[h].value, expected[i].headers[h].value);
        }
        QCOMPARE(actual[i].payload, expected[i].payload);
    }
}

quint32 zcrc(QByteArrayView bytes)
{
    return quint32(::crc32(0L, reinterpret_cast<const Bytef *>(bytes.data()), uInt(bytes.size())));
}

// A frame with correct CRCs around arbitrary (possibly malformed) lengths and header bytes.
QByteArray rawFrame(quint32 totalLength, quint32 headersLength, const QByteArray &body)
{
    QByteArray frame(12, '\0');
    qToBigEndian<quint32>(totalLength, frame.data());
    qToBigEndian<quint32>(headersLength, frame.data() + 4);
    qToBigEndian<quint32>(zcrc(QByteArrayView(frame).first(8)), frame.data() + 8);
    frame.append(body);
    QByteArray crc(4, '\0');
    qToBigEndian<quint32>(zcrc(frame), crc.data());
    return frame + crc;
}

QByteArray wellFormedFrame(const QByteArray &headers, const QByteArray &payload)
{
    return rawFrame(quint32(16 + headers.size() + payload.size()), quint32(headers.size()),
                    headers + payload);
}

QString errorOf(const QByteArray &bytes)
{
    EventStreamDecoder decoder;
    decoder.feed(bytes);
    auto next = decoder.next();
    if (!next)
        return u"<needs more bytes>"_s;
    return next->ok() ? u"<no error>"_s : next->error();
}

} // namespace

class TestBedrockEventStream : public QObject
{
    Q_OBJECT

private slots:
    void decodesFixtures_data();
    void decodesFixtures();
    void streamTextIsIntact();
    void exceptionFrameIsRecognised();
    void waitsForPartialFrames();
    void rejectsCorruptPreludeCrc();
    void rejectsCorruptMessageCrc();
    void errorIsSticky();
    void rejectsBadLengths();
    void rejectsMalformedHeaders();
    void randomBytesFailCleanly();
    void encoderMatchesSmithyByteForByte_data();
    void encoderMatchesSmithyByteForByte();
    void encodeEventAndExceptionMatchSmithy();
};

void TestBedrockEventStream::decodesFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("split"); // whole | bytes | random:<seed>
    for (const QString &file : {u"converse-stream.bin"_s, u"exception.bin"_s, u"all-header-types.bin"_s}) {
        QTest::addRow("%s whole", qPrintable(file)) << file << u"whole"_s;
        QTest::addRow("%s byte-by-byte", qPrintable(file)) << file << u"bytes"_s;
        for (int seed : {1, 7, 42, 1234, 99991})
            QTest::addRow("%s random %d", qPrintable(file), seed) << file << u"random:%1"_s.arg(seed);
    }
}

void TestBedrockEventStream::decodesFixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, split);
    const QByteArray bytes = quarry::test::readData(u"eventstream/"_s + file);
    QList<qsizetype> chunks;
    if (split == u"whole") {
        chunks = {bytes.size()};
    } else if (split == u"bytes") {
        chunks = QList<qsizetype>(bytes.size(), 1);
    } else {
        QRandomGenerator random(split.section(u':', 1).toUInt());
        for (qsizetype left = bytes.size(); left > 0;) {
            const qsizetype size = qMin<qsizetype>(left, random.bounded(1, 40));
            chunks.append(size);
            left -= size;
        }
    }
    const QList<EventStreamMessage> expected = expectedMessages(file);
    QVERIFY(!expected.isEmpty());
    compareMessages(decodeInChunks(bytes, chunks), expected);
}

void TestBedrockEventStream::streamTextIsIntact()
{
    // What a user sees: the deltas joined give the answer, multi-byte characters and all.
    const QByteArray bytes = quarry::test::readData(u"eventstream/converse-stream.bin"_s);
    const QList<EventStreamMessage> messages = decodeInChunks(bytes, QList<qsizetype>(bytes.size(), 1));
    QStringList eventTypes;
    QString text;
    for (const EventStreamMessage &m : messages) {
        QCOMPARE(m.headerString(u":message-type"_s), u"event"_s);
        QCOMPARE(m.headerString(u":content-type"_s), u"application/json"_s);
        eventTypes.append(m.headerString(u":event-type"_s));
        if (eventTypes.last() == u"contentBlockDelta")
            text += QJsonDocument::fromJson(m.payload).object()[u"delta"][u"text"].toString();
    }
    const QJsonObject all =
        QJsonDocument::fromJson(quarry::test::readData(u"eventstream/expected.json"_s)).object();
    QCOMPARE(text, all[u"converse-stream.bin"][u"text"].toString());
    QVERIFY(text.contains(u"👩\u200d💻"_s));
    QCOMPARE(eventTypes.first(), u"messageStart"_s);
    QCOMPARE(eventTypes.last(), u"metadata"_s);
    QCOMPARE(eventTypes.count(u"contentBlockDelta"_s), 6);
    QCOMPARE(messages.last().headerString(u":exception-type"_s), QString());
}

void TestBedrockEventStream::exceptionFrameIsRecognised()
{
    const QList<EventStreamMessage> messages =
        decodeInChunks(quarry::test::readData(u"eventstream/exception.bin"_s), {178});
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages[0].headerString(u":message-type"_s), u"exception"_s);
    QCOMPARE(messages[0].headerString(u":exception-type"_s), u"throttlingException"_s);
    QCOMPARE(QJsonDocument::fromJson(messages[0].payload).object()[u"message"].toString(),
             u"Too many requests, please wait before trying again."_s);
}

void TestBedrockEventStream::waitsForPartialFrames()
{
    const QByteArray bytes = quarry::test::readData(u"eventstream/exception.bin"_s);
    EventStreamDecoder decoder;
    decoder.feed(QByteArrayView(bytes).chopped(1));
    QVERIFY(!decoder.next().has_value());
    QVERIFY(!decoder.hasError());
    QCOMPARE(decoder.bufferedBytes(), bytes.size() - 1);
    decoder.feed(QByteArrayView(bytes).last(1));
    auto next = decoder.next();
    QVERIFY(next.has_value() && next->ok());
    QVERIFY(!decoder.next().has_value());
}

void TestBedrockEventStream::rejectsCorruptPreludeCrc()
{
    QByteArray bytes = quarry::test::readData(u"eventstream/exception.bin"_s);
    bytes[9] = char(bytes[9] ^ 0x01); // inside the prelude CRC
    QVERIFY(errorOf(bytes).contains(u"prelude CRC"_s));
    // A corrupted length is caught by the prelude CRC before the decoder waits for that many bytes.
    QByteArray longer = quarry::test::readData(u"eventstream/exception.bin"_s);
    longer[1] = char(0x10);
    EventStreamDecoder decoder;
    decoder.feed(QByteArrayView(longer).first(12));
    auto next = decoder.next();
    QVERIFY(next.has_value() && !next->ok());
    QVERIFY(next->error().contains(u"prelude CRC"_s));
}

void TestBedrockEventStream::rejectsCorruptMessageCrc()
{
    const QByteArray original = quarry::test::readData(u"eventstream/exception.bin"_s);
    for (qsizetype at : {qsizetype(20), original.size() - 10, original.size() - 1}) { // header, payload, CRC
        QByteArray bytes = original;
        bytes[at] = char(bytes[at] ^ 0x20);
        QVERIFY2(errorOf(bytes).contains(u"message CRC"_s), qPrintable(errorOf(bytes)));
    }
}

void TestBedrockEventStream::errorIsSticky()
{
    const QByteArray good = quarry::test::readData(u"eventstream/exception.bin"_s);
    QByteArray bad = good;
    bad[bad.size() - 1] = char(bad[bad.size() - 1] ^ 0xff);
    EventStreamDecoder decoder;
    decoder.feed(bad);
    QVERIFY(decoder.next().has_value());
    QVERIFY(decoder.hasError());
    decoder.feed(good);
    auto again = decoder.next();
    QVERIFY(again.has_value() && !again->ok());
    QVERIFY(again->error().contains(u"message CRC"_s));
}

void TestBedrockEventStream::rejectsBadLengths()
{
    QVERIFY(errorOf(rawFrame(15, 0, {})).contains(u"out of range"_s));
    // 16 MiB + 1: rejected from the prelude alone, without buffering the announced body.
    const QByteArray huge = rawFrame(16 * 1024 * 1024 + 1, 0, {}).first(12);
    QVERIFY(errorOf(huge).contains(u"out of range"_s));
    QVERIFY(errorOf(rawFrame(20, 5, QByteArray(4, 'x'))).contains(u"headers length"_s));
    // The smallest legal frame: no headers, no payload.
    EventStreamDecoder decoder;
    decoder.feed(rawFrame(16, 0, {}));
    auto empty = decoder.next();
    QVERIFY(empty.has_value() && empty->ok());
    QVERIFY(empty->value().headers.isEmpty() && empty->value().payload.isEmpty());
}

void TestBedrockEventStream::rejectsMalformedHeaders()
{
    // name "ab", type 7 (string), length 10, but only 3 bytes follow in the header block
    QVERIFY(errorOf(wellFormedFrame("\x02"
                                    "ab\x07\x00\x0a"
                                    "xyz"_ba,
                                    "{}"_ba))
                .contains(u"past the header block"_s));
    // name length runs past the block
    QVERIFY(errorOf(wellFormedFrame("\x09"
                                    "ab"_ba,
                                    {}))
                .contains(u"past the header block"_s));
    // unknown type code 10
    QVERIFY(errorOf(wellFormedFrame("\x02"
                                    "ab\x0a"_ba,
                                    {}))
                .contains(u"unknown type"_s));
    // fixed-size value cut short: a long (type 5) with 4 of its 8 bytes
    QVERIFY(errorOf(wellFormedFrame("\x01"
                                    "n\x05\x00\x00\x00\x01"_ba,
                                    {}))
                .contains(u"past the header block"_s));
}

void TestBedrockEventStream::randomBytesFailCleanly()
{
    // Garbage after a good frame: the good frame still decodes, then an error, never a crash.
    const QByteArray good = quarry::test::readData(u"eventstream/exception.bin"_s);
    for (quint32 seed = 1; seed <= 200; ++seed) {
        QRandomGenerator random(seed);
        QByteArray garbage(random.bounded(12, 300), '\0');
        random.fillRange(reinterpret_cast<quint32 *>(garbage.data()), garbage.size() / 4);
        EventStreamDecoder decoder;
        decoder.feed(QByteArray(good + garbage));
        auto first = decoder.next();
        QVERIFY(first.has_value() && first->ok());
        auto second = decoder.next();
        QVERIFY(second.has_value() && !second->ok());
    }
}

void TestBedrockEventStream::encoderMatchesSmithyByteForByte_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &file : {u"converse-stream.bin"_s, u"exception.bin"_s, u"all-header-types.bin"_s})
        QTest::newRow(qPrintable(file)) << file;
}

void TestBedrockEventStream::encoderMatchesSmithyByteForByte()
{
    QFETCH(QString, file);
    const QByteArray bytes = quarry::test::readData(u"eventstream/"_s + file);
    const QList<EventStreamMessage> messages = expectedMessages(file);
    const auto spans = frameSpans(file);
    QCOMPARE(messages.size(), spans.size());
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QByteArray encoded = EventStreamEncoder::encode(messages[i]);
        QCOMPARE(encoded, bytes.mid(spans[i].first, spans[i].second));
        compareMessages(decodeInChunks(encoded, {encoded.size()}), {messages[i]});
    }
}

void TestBedrockEventStream::encodeEventAndExceptionMatchSmithy()
{
    const QByteArray stream = quarry::test::readData(u"eventstream/converse-stream.bin"_s);
    const QList<EventStreamMessage> messages = expectedMessages(u"converse-stream.bin"_s);
    const auto spans = frameSpans(u"converse-stream.bin"_s);
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString eventType = messages[i].headers[0].value.toString();
        QCOMPARE(EventStreamEncoder::encodeEvent(eventType, messages[i].payload),
                 stream.mid(spans[i].first, spans[i].second));
    }
    const EventStreamMessage exception = expectedMessages(u"exception.bin"_s).first();
    QCOMPARE(EventStreamEncoder::encodeException(u"throttlingException"_s, exception.payload),
             quarry::test::readData(u"eventstream/exception.bin"_s));
}

QTEST_GUILESS_MAIN(TestBedrockEventStream)
#include "tst_bedrock_eventstream.moc"
