// History (history.sqlite): what is published is read back, captures and retention limits hold,
// and a locked file delays no request and loses nothing within the queue's bound.
#include "TestSupport.h"

#include "telemetry/HistoryDatabase.h"
#include "telemetry/HistoryReader.h"
#include "telemetry/HistoryStore.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using telemetry::HistoryReader;
using telemetry::HistoryStore;

namespace {

telemetry::TrafficRecord makeRecord(quint64 id, const QString &model = u"amazon.nova-micro-v1:0"_s, int status = 200)
{
    telemetry::TrafficRecord record;
    record.id = id;
    record.started = QDateTime::currentDateTimeUtc();
    record.client = u"127.0.0.1:5000"_s;
    record.method = u"POST"_s;
    record.path = u"/bedrock/v1/chat/completions"_s;
    record.route = u"agentgateway-system/bedrock"_s;
    record.backend = u"agentgateway-system/bedrock"_s;
    record.api = u"Completions"_s;
    record.model = model;
    record.status = status;
    record.latencyMs = 12;
    record.tokens = {10, 5, 3, 2, true};
    record.clientRequest.startLine = u"POST /bedrock HTTP/1.1"_s;
    record.clientRequest.setShownHeaders({{u"authorization"_s, u"Bearer <redacted>"_s}});
    record.clientRequest.setBody("{\"messages\":[]}"_ba);
    return record;
}

telemetry::HistoryOptions quickOptions()
{
    telemetry::HistoryOptions options;
    options.flushIntervalMs = 10;
    options.retryIntervalMs = 100;
    options.busyTimeoutMs = 100;
    return options;
}

} // namespace

// The requests that still have captures, newest first.
QList<quint64> capturedIds(HistoryReader &reader)
{
    QList<quint64> ids;
    const auto entries = reader.entries({}); // kept: the loop would outlive a temporary's list
    for (const auto &entry : *entries) {
        if (entry.hasCaptures)
            ids.append(entry.record.id);
    }
    return ids;
}

// Captures of the newest three requests, batches of `batchSize` written only when full, captures
// written at most every `captureIntervalMs`.
telemetry::HistoryOptions heldCaptureOptions(int batchSize, int captureIntervalMs)
{
    auto options = quickOptions();
    options.captureCount = 3;
    options.batchSize = batchSize;
    options.flushIntervalMs = 60000; // only full batches are written
    options.captureIntervalMs = captureIntervalMs;
    return options;
}

// heldCaptureOptions() with a byte budget for the captures of two of makeRecord()'s records, not three.
telemetry::HistoryOptions budgetOfTwoCaptures(int batchSize, int captureIntervalMs)
{
    auto options = heldCaptureOptions(batchSize, captureIntervalMs);
    const qsizetype oneRecord = makeRecord(1).captureBytes();
    options.queueCaptureBytes = 2 * oneRecord + oneRecord / 2;
    return options;
}

// Publishes batch number `batch` (records batch * size + 1 to (batch + 1) * size) and waits until it
// is written: one batch at a time, where the writer would take them all at once.
bool writeBatch(HistoryStore &store, HistoryReader &reader, int batch, int size)
{
    for (int i = 1; i <= size; ++i)
        store.publish(makeRecord(batch * size + i));
    return QTest::qWaitFor([&] { return reader.entries({})->size() == (batch + 1) * size; }, 5000);
}

class TestTelemetryHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); m_path = m_dir.filePath(u"h%1/history.sqlite"_s.arg(++m_case)); }

    void publishedRecordsReadBackWithEveryField()
    {
        {
            HistoryStore store(m_path, quickOptions());
            auto record = makeRecord(7);
            record.provider = u"us-west-2"_s;
            record.streamed = true;
            record.timeToFirstTokenMs = 4;
            record.costUsd = 0.0125;
            record.status = 429;
            record.error = u"Too many requests"_s;
            record.clientResponse.setBody(R"({"error":{"type":"rate_limit_error","message":"slow down"}})"_ba);
            store.publish(record);
            store.publish(makeRecord(8));
        } // closing writes what is queued
        HistoryReader reader(m_path);
        const auto entries = reader.entries({});
        QVERIFY2(entries.ok(), entries.ok() ? "" : qPrintable(entries.error()));
        QCOMPARE(entries->size(), 2);
        const auto &newest = entries->at(0);
        QCOMPARE(newest.record.id, quint64(8));
        QCOMPARE(newest.record.costUsd, -1.0); // unpriced stays unpriced, not free
        const auto &first = entries->at(1).record;
        QCOMPARE(first.id, quint64(7));
        QCOMPARE(first.provider, u"us-west-2"_s);
        QCOMPARE(first.api, u"Completions"_s);
        QCOMPARE(first.status, 429);
        QCOMPARE(entries->at(1).errorType, u"rate_limit_error"_s);
        QCOMPARE(first.error, u"Too many requests"_s);
        QVERIFY(first.streamed);
        QCOMPARE(first.timeToFirstTokenMs, 4);
        QCOMPARE(first.tokens.input, 10);
        QCOMPARE(first.tokens.output, 5);
        QCOMPARE(first.tokens.cacheRead, 3);
        QCOMPARE(first.tokens.cacheWrite, 2);
        QCOMPARE(first.costUsd, 0.0125);

        telemetry::TrafficRecord captured;
        const auto loaded = reader.loadCaptures(entries->at(1).row, captured);
        QVERIFY(loaded.ok() && *loaded);
        QCOMPARE(captured.clientRequest.startLine, u"POST /bedrock HTTP/1.1"_s);
        QCOMPARE(captured.clientRequest.headers().first().second, u"Bearer <redacted>"_s);
        QCOMPARE(captured.clientRequest.body, "{\"messages\":[]}"_ba);
    }

    void filtersAndTotals()
    {
        {
            HistoryStore store(m_path, quickOptions());
            for (int i = 0; i < 5; ++i)
                store.publish(makeRecord(i, u"model-a"_s, 200));
            for (int i = 0; i < 3; ++i)
                store.publish(makeRecord(10 + i, u"model-b"_s, 500));
            store.publish(makeRecord(20, u"model-b"_s, 404));
        }
        HistoryReader reader(m_path);
        telemetry::HistoryQuery query;
        query.model = u"model-b"_s;
        QCOMPARE(reader.entries(query)->size(), 4);
        query.status = u"5xx"_s;
        QCOMPARE(reader.entries(query)->size(), 3);
        query.status = u"404"_s;
        QCOMPARE(reader.entries(query)->size(), 1);
        query = {};
        query.status = u"failed"_s;
        QCOMPARE(reader.entries(query)->size(), 4);
        query.status = u"6yy"_s;
        QVERIFY(!reader.entries(query).ok());
        query = {};
        query.text = u"MODEL-A"_s;
        QCOMPARE(reader.entries(query)->size(), 5);
        query = {};
        query.limit = 2;
        const auto page = reader.entries(query);
        QCOMPARE(page->size(), 2);
        query.beforeRow = page->last().row;
        query.limit = 100;
        QCOMPARE(reader.entries(query)->size(), 7); // the next page: everything older

        const auto totals = reader.totals(HistoryReader::GroupBy::Model, {});
        QVERIFY(totals.ok());
        QCOMPARE(totals->size(), 2);
        QCOMPARE(totals->at(0).key, u"model-a"_s);
        QCOMPARE(totals->at(0).requests, 5);
        QCOMPARE(totals->at(0).tokensIn, 50);
        QCOMPARE(totals->at(1).requests, 4);
        QCOMPARE(totals->at(1).tokensOut, 20);
        QCOMPARE(totals->at(1).pricedRequests, 0);
    }

    void capturesKeptForTheNewestOnly()
    {
        auto options = quickOptions();
        options.captureCount = 3;
        {
            HistoryStore store(m_path, options);
            for (int i = 1; i <= 10; ++i) {
                store.publish(makeRecord(i));
                if (i % 4 == 0)
                    QVERIFY(store.flush(5000)); // across batches, not only within one
            }
        }
        HistoryReader reader(m_path);
        const auto entries = reader.entries({});
        QCOMPARE(entries->size(), 10); // every request stays
        QList<quint64> withCaptures;
        for (const auto &entry : *entries) {
            if (entry.hasCaptures)
                withCaptures.append(entry.record.id);
        }
        QCOMPARE(withCaptures, (QList<quint64>{10, 9, 8}));
    }

    // Under load full batches are written many times a second: captures only once per interval,
    // and when it is up the newest captureCount have theirs, with nobody flushing.
    void capturesUnderLoadWaitForTheirInterval()
    {
        HistoryStore store(m_path, heldCaptureOptions(5, 2000));
        HistoryReader reader(m_path);
        for (int batch = 0; batch < 4; ++batch)
            QVERIFY(writeBatch(store, reader, batch, 5));
        // The first batch wrote its captures; the three after it, within the interval, not yet.
        QCOMPARE(capturedIds(reader), (QList<quint64>{5, 4, 3}));
        QTRY_COMPARE_WITH_TIMEOUT(capturedIds(reader), (QList<quint64>{20, 19, 18}), 5000);
    }

    // Held captures have the queue's byte budget: past it the oldest are let go, and nothing is
    // written before its interval (under a load of large streams, writing at once wrote the budget
    // several times a second, and delayed the requests).
    void heldCapturesPastTheirBudgetLoseTheOldest()
    {
        HistoryStore store(m_path, budgetOfTwoCaptures(2, 60000)); // a batch fits; three held do not
        HistoryReader reader(m_path);
        QVERIFY(writeBatch(store, reader, 0, 2));
        QVERIFY(writeBatch(store, reader, 1, 2));
        QCOMPARE(capturedIds(reader), (QList<quint64>{2, 1})); // 3 and 4 held: within the budget
        QVERIFY(writeBatch(store, reader, 2, 2));
        QCOMPARE(capturedIds(reader), (QList<quint64>{2, 1})); // 5 and 6 held; 4 let go
        QVERIFY(store.flush(5000));
        QCOMPARE(capturedIds(reader), (QList<quint64>{6, 5, 2})); // the newest three; 4 never written
        QCOMPARE(reader.entries({})->size(), 6);                  // every row is there
    }

    // Past the queue's byte budget a record is queued without its captures (its row is written).
    // The record is the gateway's, shared with the traffic sink: the Traffic page keeps its captures.
    void aQueuePastItsCaptureBudgetQueuesTheRowOnly()
    {
        HistoryStore store(m_path, budgetOfTwoCaptures(10, 0)); // two queued fit; the third does not
        HistoryReader reader(m_path);
        QList<telemetry::SharedTrafficRecord> published;
        for (quint64 id = 1; id <= 3; ++id) {
            published.append(std::make_shared<const telemetry::TrafficRecord>(makeRecord(id)));
            store.publish(published.last());
        }
        QVERIFY(store.flush(5000));
        QCOMPARE(reader.entries({})->size(), 3);
        QCOMPARE(capturedIds(reader), (QList<quint64>{2, 1}));
        QVERIFY(!published.last()->capturesDropped);
        QCOMPARE(published.last()->clientRequest.body, "{\"messages\":[]}"_ba);
    }

    // A request whose captures wait may be deleted meanwhile (pruning by size, another process):
    // its captures are dropped, and writing goes on.
    void heldCapturesOfDeletedRequestsAreDropped()
    {
        HistoryStore store(m_path, heldCaptureOptions(2, 60000));
        HistoryReader reader(m_path);
        QVERIFY(writeBatch(store, reader, 0, 2)); // writes its captures
        QVERIFY(writeBatch(store, reader, 1, 2)); // holds them
        QCOMPARE(capturedIds(reader), (QList<quint64>{2, 1}));
        {
            auto other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"other"_s);
            other.setDatabaseName(m_path);
            QVERIFY(other.open());
            QSqlQuery remove(other);
            QVERIFY(remove.exec(u"DELETE FROM requests WHERE request_id >= 3"_s));
        }
        QSqlDatabase::removeDatabase(u"other"_s);
        store.publish(makeRecord(5));
        QVERIFY(store.flush(5000));
        QCOMPARE(reader.entries({})->size(), 3);
        QCOMPARE(capturedIds(reader), (QList<quint64>{5, 2, 1}));
    }

    void retentionByAgeAndSize()
    {
        auto options = quickOptions();
        options.retentionDays = 30;
        HistoryStore store(m_path, options);
        auto old = makeRecord(1);
        old.started = QDateTime::currentDateTimeUtc().addDays(-31);
        store.publish(old);
        store.publish(makeRecord(2));
        QVERIFY(store.flush(5000));
        QVERIFY(store.maintain(5000));
        HistoryReader reader(m_path);
        auto entries = reader.entries({});
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->first().record.id, quint64(2));

        // By size: a file over its limit loses its oldest requests and shrinks on disk.
        auto small = quickOptions();
        small.maxBytes = 256 * 1024;
        const QString sizedPath = m_dir.filePath(u"sized/history.sqlite"_s);
        HistoryStore sized(sizedPath, small);
        for (int i = 1; i <= 400; ++i) {
            auto record = makeRecord(i);
            record.error = QString(2000, u'x'); // ~2 KB a row: ~800 KB in all
            sized.publish(record);
        }
        QVERIFY(sized.flush(10000));
        const qint64 before = QFileInfo(sizedPath).size() + QFileInfo(sizedPath + u"-wal"_s).size();
        QVERIFY(sized.maintain(10000));
        HistoryReader sizedReader(sizedPath);
        telemetry::HistoryQuery all;
        all.limit = 1000;
        entries = sizedReader.entries(all);
        QVERIFY(entries->size() < 200);
        QCOMPARE(entries->first().record.id, quint64(400)); // the newest stay
        const qint64 after = QFileInfo(sizedPath).size() + QFileInfo(sizedPath + u"-wal"_s).size();
        QVERIFY2(after < before / 2, qPrintable(u"%1 -> %2 bytes"_s.arg(before).arg(after)));
    }

    void lockedDatabaseNeitherDelaysNorLoses()
    {
        { HistoryStore create(m_path, quickOptions()); create.publish(makeRecord(1)); }
        // Another process holds the write lock (as a long transaction in serve would).
        auto locker = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"locker"_s);
        locker.setDatabaseName(m_path);
        QVERIFY(locker.open());
        QSqlQuery lock(locker);
        QVERIFY(lock.exec(u"BEGIN EXCLUSIVE"_s));
        {
            HistoryStore store(m_path, quickOptions());
            QSignalSpy problems(&store, &HistoryStore::problemChanged);
            QElapsedTimer publishing;
            publishing.start();
            for (int i = 2; i <= 50; ++i)
                store.publish(makeRecord(i));
            QVERIFY2(publishing.elapsed() < 50, "publish must never wait for the file");
            QVERIFY(problems.wait(5000));
            QVERIFY(problems.first().first().toString().contains(u"locked"_s));
            QTest::qWait(400); // several retries, still locked: reported once only
            QCOMPARE(problems.size(), 1);
            lock.exec(u"ROLLBACK"_s);
            QTRY_COMPARE_WITH_TIMEOUT(problems.size(), 2, 5000);
            QVERIFY(problems.last().first().toString().isEmpty()); // writing works again
        }
        lock = QSqlQuery();
        locker.close();
        locker = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"locker"_s);
        HistoryReader reader(m_path);
        QCOMPARE(reader.entries({})->size(), 50); // nothing lost while the file was locked
    }

    // `quarry history` right after a lone request lists it: a record after a quiet spell is written
    // at once. The ones right behind it wait for the interval, to go in one batch.
    void aRecordAfterAQuietSpellIsWrittenAtOnce()
    {
        auto options = quickOptions();
        options.flushIntervalMs = 2000;
        HistoryStore store(m_path, options);
        HistoryReader reader(m_path);
        QTest::qWait(options.flushIntervalMs + 100); // nothing written since the start
        store.publish(makeRecord(1));
        QVERIFY(QTest::qWaitFor([&] { return reader.entries({})->size() == 1; },
                                options.flushIntervalMs * 3 / 4));
        store.publish(makeRecord(2));
        QTest::qWait(300);
        QCOMPARE(reader.entries({})->size(), 1);
        QVERIFY(QTest::qWaitFor([&] { return reader.entries({})->size() == 2; }, 5000));
    }

    void fullQueueDropsAndCounts()
    {
        auto options = quickOptions();
        options.queueLimit = 10;
        options.batchSize = 1000; // nothing is written before the queue fills
        options.flushIntervalMs = 60000;
        HistoryStore store(m_path, options);
        for (int i = 0; i < 25; ++i)
            store.publish(makeRecord(i));
        QCOMPARE(store.dropped(), quint64(15));
        QVERIFY(store.flush(5000));
        QCOMPARE(HistoryReader(m_path).entries({})->size(), 10);
    }

    void readingWithoutAFileFindsNothing()
    {
        HistoryReader reader(m_dir.filePath(u"none/history.sqlite"_s));
        const auto entries = reader.entries({});
        QVERIFY(entries.ok());
        QVERIFY(entries->isEmpty());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(u"none"_s))); // reading creates nothing
    }

    void unwritableLocationIsReportedNotFatal()
    {
        QFile blocker(m_dir.filePath(u"blocked"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where the directory should be
        blocker.close();
        HistoryStore store(m_dir.filePath(u"blocked/history.sqlite"_s), quickOptions());
        QSignalSpy problems(&store, &HistoryStore::problemChanged);
        store.publish(makeRecord(1));
        QVERIFY(problems.wait(5000));
        QVERIFY(!problems.first().first().toString().isEmpty());
    }

    void sinceAndStatusParsing()
    {
        const QDateTime now = QDateTime::fromString(u"2026-12-01T12:00:00Z"_s, Qt::ISODate);
        QCOMPARE(*telemetry::parseSince(u"90m"_s, now), now.addSecs(-90 * 60));
        QCOMPARE(*telemetry::parseSince(u"2d"_s, now), now.addDays(-2));
        QCOMPARE(telemetry::parseSince(u"2026-11-30"_s, now)->date(), QDate(2026, 11, 30));
        QVERIFY(!telemetry::parseSince(u"yesterday"_s, now).ok());
        QVERIFY(telemetry::statusCondition(u"4xx"_s).ok());
        QVERIFY(!telemetry::statusCondition(u"abc"_s).ok());
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_case = 0;
};

QUARRY_TEST_GUILESS_MAIN(TestTelemetryHistory)
#include "tst_telemetry_history.moc"
