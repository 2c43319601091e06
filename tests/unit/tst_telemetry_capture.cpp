// Captured messages' memory accounting: what a capture holds, squeezing, and dropping captures.
#include "telemetry/TrafficRecord.h"

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
        QVERIFY(record.captureBytes() >= 30000 + 2 * (22 + 12 + 16));
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
};

QTEST_GUILESS_MAIN(TestTelemetryCapture)
#include "tst_telemetry_capture.moc"
