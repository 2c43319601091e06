// The traffic sink: what workers publish reaches the sink's thread in batches, in order, bounded,
// and nothing published before a stop is lost.
#include "telemetry/TrafficSink.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using quarry::telemetry::SharedTrafficRecord;
using quarry::telemetry::TrafficRecord;
using quarry::telemetry::TrafficSink;
using namespace Qt::StringLiterals;

namespace {

TrafficRecord numbered(quint64 id)
{
    TrafficRecord record;
    record.id = id;
    return record;
}

// Publishes ids first..last from another thread, as a gateway worker does, and waits for it.
void publishFromWorker(TrafficSink &sink, quint64 first, quint64 last)
{
    std::thread worker([&] {
        for (quint64 id = first; id <= last; ++id)
            sink.publish(numbered(id));
    });
    worker.join();
}

QList<quint64> idsOf(const QList<SharedTrafficRecord> &batch)
{
    QList<quint64> ids;
    for (const SharedTrafficRecord &record : batch)
        ids.append(record->id);
    return ids;
}

} // namespace

class TrafficSinkTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordsPublishedTogetherArriveAsOneBatch();
    void aStreamOfRecordsWakesTheSinkThreadOncePerWindow();
    void recordedIsEmittedOnThePublishingThread();
    void aBlockedSinkThreadKeepsTheNewestRecords();
    void pendingRecordsAreDeliveredWhenTheSinkIsDeleted();
};

void TrafficSinkTest::recordsPublishedTogetherArriveAsOneBatch()
{
    TrafficSink sink;
    QList<QList<quint64>> batches;
    connect(&sink, &TrafficSink::delivered, this,
            [&](const QList<SharedTrafficRecord> &batch) { batches.append(idsOf(batch)); });
    // This thread runs no events meanwhile: all three wait for one wake-up.
    publishFromWorker(sink, 1, 3);
    QVERIFY(batches.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(batches.size(), 1, 5000);
    QCOMPARE(batches.first(), (QList<quint64>{1, 2, 3}));
    // The next record wakes the thread again.
    publishFromWorker(sink, 4, 4);
    QTRY_COMPARE_WITH_TIMEOUT(batches.size(), 2, 5000);
    QCOMPARE(batches.last(), QList<quint64>{4});
}

// A worker publishing a record every 0.2 ms while the sink's thread is idle and quick: each
// record would find the queue drained and wake the thread again. Within one delivery window they
// wait and go together instead.
void TrafficSinkTest::aStreamOfRecordsWakesTheSinkThreadOncePerWindow()
{
    TrafficSink sink;
    QList<QList<quint64>> batches;
    connect(&sink, &TrafficSink::delivered, this,
            [&](const QList<SharedTrafficRecord> &batch) { batches.append(idsOf(batch)); });
    constexpr quint64 Records = 40;
    std::atomic<bool> done = false;
    std::thread worker([&] {
        for (quint64 id = 1; id <= Records; ++id) {
            sink.publish(numbered(id));
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        done = true;
    });
    QElapsedTimer publishing;
    publishing.start();
    while (!done)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
    worker.join();
    const qint64 tookMs = publishing.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(batches.isEmpty() ? 0 : batches.last().last(), Records, 5000);
    QList<quint64> arrived, published;
    for (const QList<quint64> &batch : std::as_const(batches))
        arrived += batch;
    for (quint64 id = 1; id <= Records; ++id)
        published.append(id);
    QCOMPARE(arrived, published);
    // The first record's batch, then one per window the publishing lasted (and the one it ended in).
    QVERIFY2(batches.size() <= 2 + tookMs / TrafficSink::DeliveryWindowMs,
             qPrintable(QString::number(batches.size()) + u" batches in "_s + QString::number(tookMs) + u" ms"_s));
}

void TrafficSinkTest::recordedIsEmittedOnThePublishingThread()
{
    TrafficSink sink;
    QThread *seenOn = nullptr;
    connect(&sink, &TrafficSink::recorded, &sink, [&] { seenOn = QThread::currentThread(); },
            Qt::DirectConnection);
    publishFromWorker(sink, 1, 1);
    QVERIFY(seenOn != nullptr);
    QVERIFY(seenOn != QThread::currentThread());
}

void TrafficSinkTest::aBlockedSinkThreadKeepsTheNewestRecords()
{
    TrafficSink sink;
    QList<QList<quint64>> batches;
    connect(&sink, &TrafficSink::delivered, this,
            [&](const QList<SharedTrafficRecord> &batch) { batches.append(idsOf(batch)); });
    const quint64 published = quint64(TrafficSink::PendingLimit) + 5;
    publishFromWorker(sink, 1, published);
    QTRY_COMPARE_WITH_TIMEOUT(batches.size(), 1, 5000);
    QCOMPARE(batches.first().size(), TrafficSink::PendingLimit);
    QCOMPARE(batches.first().first(), quint64(6));
    QCOMPARE(batches.first().last(), published);
    QCOMPARE(sink.dropped(), quint64(5));
}

void TrafficSinkTest::pendingRecordsAreDeliveredWhenTheSinkIsDeleted()
{
    auto sink = std::make_unique<TrafficSink>();
    QList<quint64> delivered;
    connect(sink.get(), &TrafficSink::delivered, this,
            [&](const QList<SharedTrafficRecord> &batch) { delivered += idsOf(batch); });
    publishFromWorker(*sink, 1, 2);
    sink.reset(); // a gateway stopping before its thread ran the delivery
    QCOMPARE(delivered, (QList<quint64>{1, 2}));
}

QTEST_GUILESS_MAIN(TrafficSinkTest)
#include "tst_telemetry_sink.moc"
