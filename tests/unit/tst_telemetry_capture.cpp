// Captured messages: memory accounting (what a capture holds, squeezing, dropping captures) and
// the blobs history stores them in.
#include "telemetry/CaptureBlob.h"
#include "telemetry/TrafficRecord.h"

#include <QDataStream>
#include <QIODevice>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

class TestTelemetryCapture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void captureBytesCountBodiesAndHeaders()
    {
        telemetry::TrafficRecord record;
        QCOMPARE(record.captureBytes(), 0);
        record.clientRequest.startLine = u"POST /bedrock HTTP/1.1"_s;
        record.clientRequest.setShownHeaders({{u"content-type"_s, u"application/json"_s}});
        record.clientRequest.setBody(QByteArray(10000, 'a'));
        record.upstreamResponse.setBody(QByteArray(20000, 'b'));
        // The start line is UTF-16; headers are kept as bytes.
        QVERIFY(record.captureBytes() >= 30000 + 2 * 22 + 12 + 16);
        QVERIFY(record.captureBytes() < 31000);
    }

    void squeezeGivesBackWhatStreamingReserved()
    {
        telemetry::CapturedMessage events;
        for (int i = 0; i < 3000; ++i) // an SSE stream, appended event by event
            events.appendBody("data: {\"choices\":[{\"delta\":{\"content\":\"word \"}}]}\n\n"_ba);
        const qsizetype size = events.body.size();
        QVERIFY2(events.body.capacity() > size, "appending is expected to over-allocate");
        QVERIFY(events.memoryBytes() > size);
        events.squeeze();
        QCOMPARE(events.body.size(), size);
        QCOMPARE(events.memoryBytes(), size);
    }

    void dropCapturesKeepsTheRecord()
    {
        telemetry::TrafficRecord record;
        record.id = 42;
        record.status = 200;
        record.model = u"amazon.nova-micro-v1:0"_s;
        record.clientRequest.setBody(QByteArray(5000, 'x'));
        record.clientResponse.setBody(QByteArray(5000, 'y'));
        record.upstreamRequest.startLine = u"POST /model/x/converse HTTP/1.1"_s;
        record.dropCaptures();
        QCOMPARE(record.captureBytes(), 0);
        QVERIFY(record.capturesDropped);
        QVERIFY(record.clientRequest.isEmpty() && record.upstreamRequest.isEmpty());
        QCOMPARE(record.clientRequest.body.capacity(), 0); // the memory is gone, not only the size
        QCOMPARE(record.id, quint64(42));
        QCOMPARE(record.status, 200);
        QCOMPARE(record.model, u"amazon.nova-micro-v1:0"_s);
    }

    void blobsKeepEveryByteOfAMessage()
    {
        telemetry::CapturedMessage message;
        message.startLine = u"POST /bedrock/v1/chat/completions?q=é HTTP/1.1"_s;
        message.setWireHeaders({{"Authorization"_ba, "Bearer sk-secret"_ba},
                                {"X-Note"_ba, "caf\xc3\xa9"_ba},
                                {"X-Empty"_ba, ""_ba},
                                {"Content-Type"_ba, "application/json"_ba}});
        const char body[] = "{\"a\":\"\0\xff\"}"; // a NUL and a byte that is not UTF-8
        message.setBody(QByteArray(body, sizeof body - 1));
        QCOMPARE(message.body.size(), 10);
        message.truncated = true;

        const QByteArray blob = telemetry::encodeCapture(message);
        // The blob is what reaches the disk: the credential was gone before it was made, not only
        // when it is read back.
        QVERIFY(!blob.contains("sk-secret"));
        const auto read = telemetry::decodeCapture(blob);
        QCOMPARE(read.startLine, message.startLine);
        QCOMPARE(read.body, message.body);
        QVERIFY(read.truncated);
        const telemetry::CapturedMessage::Headers expected{{u"Authorization"_s, u"Bearer <redacted>"_s},
                                                           {u"X-Note"_s, u"café"_s},
                                                           {u"X-Empty"_s, QString()},
                                                           {u"Content-Type"_s, u"application/json"_s}};
        QCOMPARE(read.headers(), expected);
    }

    void blobsWrittenByEarlierVersionsStillRead()
    {
        // Version 1, as Quarry wrote it until December 2026: QDataStream with UTF-16 strings.
        QByteArray blob;
        QDataStream out(&blob, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_4);
        const telemetry::CapturedMessage::Headers headers{{u"authorization"_s, u"AWS4-HMAC-SHA256 <redacted>"_s}};
        out << quint8(1) << u"HTTP/1.1 200"_s << headers << "{\"ok\":true}"_ba << false;

        const auto read = telemetry::decodeCapture(blob);
        QCOMPARE(read.startLine, u"HTTP/1.1 200"_s);
        QCOMPARE(read.headers(), headers);
        QCOMPARE(read.body, "{\"ok\":true}"_ba);
        QVERIFY(!read.truncated);
    }

    void damagedBlobsReadAsNothing()
    {
        telemetry::CapturedMessage message;
        message.startLine = u"HTTP/1.1 200"_s;
        message.setWireHeaders({{"content-type"_ba, "application/json"_ba}});
        message.setBody("{}"_ba);
        const QByteArray blob = telemetry::encodeCapture(message);
        for (qsizetype cut = 1; cut < blob.size(); ++cut)
            QVERIFY2(telemetry::decodeCapture(blob.first(cut)).isEmpty(), qPrintable(QString::number(cut)));
        QVERIFY(telemetry::decodeCapture(blob + "x").isEmpty());
        QVERIFY(telemetry::decodeCapture("\x09garbage"_ba).isEmpty());
        // A header count no blob of this size could hold is refused before anything is reserved.
        QVERIFY(telemetry::decodeCapture(QByteArray::fromHex("02" "00000000" "7fffffff")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTelemetryCapture)
#include "tst_telemetry_capture.moc"
