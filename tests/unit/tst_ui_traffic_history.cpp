// The Traffic page over history.sqlite: requests from before a restart are listed below the live
// ones, filters query history, a stored request's captures load on selection, and paging and
// searching through 100,000 stored requests run on history's thread, never the GUI thread.
#include "TestSupport.h"

#include "models/TrafficFilterModel.h"
#include "models/TrafficModel.h"
#include "pages/TrafficPage.h"
#include "pages/UsageDialog.h"
#include "widgets/UsageChart.h"
#include "telemetry/HistoryStore.h"
#include "widgets/CaptureView.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSemaphore>
#include <QSignalSpy>
#include <QThread>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace quarry;

namespace {

telemetry::TrafficRecord stored(quint64 id, const QString &route = u"agentgateway-system/bedrock"_s, int status = 200)
{
    telemetry::TrafficRecord r;
    r.id = id;
    r.started = QDateTime::currentDateTimeUtc().addSecs(-3600);
    r.client = u"127.0.0.1:4000"_s;
    r.method = u"POST"_s;
    r.path = u"/bedrock"_s;
    r.route = route;
    r.backend = u"agentgateway-system/bedrock"_s;
    r.model = u"model-%1"_s.arg(id % 7);
    r.status = status;
    r.latencyMs = 5;
    r.tokens = {100, 20, 0, 0, true};
    return r;
}

telemetry::HistoryOptions bulkOptions()
{
    telemetry::HistoryOptions options;
    options.flushIntervalMs = 10;
    options.batchSize = 5000;
    options.queueLimit = 200000;
    return options;
}

} // namespace

class TestUiTrafficHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void historySurvivesARestart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        {
            telemetry::HistoryStore before(path, bulkOptions()); // the window before the restart
            for (quint64 id = 1; id <= 3; ++id) {
                auto record = stored(id);
                record.clientRequest.startLine = u"POST /bedrock HTTP/1.1"_s;
                record.clientRequest.setBody("{\"first\":%1}"_ba.replace("%1", QByteArray::number(id)));
                before.publish(record);
            }
        }
        telemetry::HistoryStore history(path, bulkOptions());
        ui::UiContext context;
        context.history = &history;
        ui::TrafficPage page(context);
        page.show();
        QTRY_COMPARE(page.model()->rowCount(), 3);
        QCOMPARE(page.model()->recordAt(0).id, quint64(3)); // newest first

        auto live = stored(99);
        live.started = QDateTime::currentDateTimeUtc();
        page.model()->add(live);
        QCOMPARE(page.model()->rowCount(), 4);
        QCOMPARE(page.model()->recordAt(0).id, quint64(99)); // live on top

        // A stored request's captures come from history when selected.
        auto *table = page.findChild<QTableView *>(u"trafficTable"_s);
        table->selectRow(2); // id 2
        const ui::CaptureView *clientRequest = nullptr;
        for (const auto *view : page.findChildren<ui::CaptureView *>()) {
            if (view->accessibleName() == u"Client request"_s)
                clientRequest = view;
        }
        QVERIFY(clientRequest);
        QTRY_VERIFY(clientRequest->toPlainText().contains(u"\"first\": 2"_s)); // pretty-printed
    }

    void filtersAskHistory()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        {
            telemetry::HistoryStore before(path, bulkOptions());
            for (quint64 id = 1; id <= 10; ++id)
                before.publish(stored(id, u"ns/a"_s, 200));
            for (quint64 id = 11; id <= 13; ++id)
                before.publish(stored(id, u"ns/b"_s, 502));
        }
        telemetry::HistoryStore history(path, bulkOptions());
        ui::UiContext context;
        context.history = &history;
        ui::TrafficPage page(context);
        QTRY_COMPARE(page.model()->rowCount(), 13);
        auto *status = page.findChild<QComboBox *>(u"statusFilter"_s);
        status->setCurrentIndex(status->findData(3)); // server errors
        QTRY_COMPARE(page.model()->rowCount(), 3);
        QVERIFY(!page.model()->isLoadingHistory());
        status->setCurrentIndex(0);
        // Routes seen only in history are offered in the picker.
        auto *route = page.findChild<QComboBox *>(u"routeFilter"_s);
        QTRY_VERIFY(route->findData(u"ns/b"_s) >= 0);
        route->setCurrentIndex(route->findData(u"ns/b"_s));
        QTRY_COMPARE(page.model()->rowCount(), 3);
        route->setCurrentIndex(0);
        QTRY_COMPARE(page.model()->rowCount(), 13);
        page.findChild<QLineEdit *>(u"textFilter"_s)->setText(u"model-3"_s); // ids 3 and 10
        QTRY_COMPARE(page.model()->rowCount(), 2);
    }

    void exportWritesTheListedRowsAsCsv()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        {
            telemetry::HistoryStore before(path, bulkOptions());
            for (quint64 id = 1; id <= 4; ++id)
                before.publish(stored(id, u"ns/a"_s, id == 4 ? 503 : 200));
        }
        telemetry::HistoryStore history(path, bulkOptions());
        ui::UiContext context;
        context.history = &history;
        ui::TrafficPage page(context);
        QTRY_COMPARE(page.model()->rowCount(), 4);
        auto live = stored(10, u"ns/b"_s, 200);
        live.started = QDateTime::currentDateTimeUtc();
        // A model name is what the client sent: here one a spreadsheet would run as a formula.
        live.model = u"=HYPERLINK(\"http://example.com\",\"comma, quoted\")"_s;
        page.model()->add(live);
        auto failedLive = stored(11, u"ns/b"_s, 503);
        failedLive.started = QDateTime::currentDateTimeUtc();
        page.model()->add(failedLive);
        auto *status = page.findChild<QComboBox *>(u"statusFilter"_s);
        status->setCurrentIndex(status->findData(1)); // successes only: 3 stored, 1 live (of 2)
        QTRY_COMPARE(page.model()->rowCount(), 5);
        QCOMPARE(page.filter()->rowCount(), 4);

        const QString csv = dir.filePath(u"traffic.csv"_s);
        page.exportCsv(csv);
        auto *said = page.findChild<QLabel *>(u"exportStatus"_s);
        QTRY_VERIFY(said->text().startsWith(u"Exported"_s));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 5); // header + the 4 rows listed
        QVERIFY(lines.first().startsWith("time,requestId,client"));
        QVERIFY(lines.at(1).contains(",1,")); // oldest first
        // RFC 4180 quoting, and an apostrophe first so the cell is text, not a formula.
        QVERIFY2(lines.last().contains(",\"'=HYPERLINK(\"\"http://example.com\"\",\"\"comma, quoted\"\")\","),
                 lines.last().constData());
        for (const QByteArray &line : lines)
            QVERIFY(!line.contains(",503,")); // filtered out

        page.exportCsv(dir.filePath(u"missing-dir/traffic.csv"_s));
        QTRY_COMPARE(said->text(), u"Export failed"_s);
    }

    void usageShowsTokensAndRequestsPerDayAndModel()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        {
            telemetry::HistoryStore before(path, bulkOptions());
            const QDateTime noon = QDateTime(QDate::currentDate(), QTime(12, 0));
            for (quint64 id = 1; id <= 6; ++id) {
                auto record = stored(id); // model-1 .. model-6, 120 tokens each
                record.started = noon.addDays(id <= 2 ? -1 : 0).toUTC(); // 2 yesterday, 4 today
                record.model = id <= 4 ? u"model-a"_s : u"model-b"_s;
                before.publish(record);
            }
            auto old = stored(7);
            old.started = QDateTime::currentDateTimeUtc().addDays(-ui::UsageDialog::Days - 2); // out of range
            before.publish(old);
        }
        telemetry::HistoryStore history(path, bulkOptions());
        ui::UiContext context;
        context.history = &history;
        ui::TrafficPage page(context);
        ui::UsageDialog *usage = page.showUsage();
        QVERIFY(usage);
        QTRY_COMPARE(usage->byDay()->bars().size(), 2);
        QTRY_COMPARE(usage->byModel()->bars().size(), 2);
        const auto days = usage->byDay()->bars();
        QCOMPARE(days.at(0).label, QDate::currentDate().addDays(-1).toString(Qt::ISODate)); // oldest first
        QCOMPARE(days.at(0).value, 2 * 120.0);
        QCOMPARE(days.at(1).value, 4 * 120.0);
        const auto models = usage->byModel()->bars();
        QCOMPARE(models.at(0).label, u"model-a"_s);
        QCOMPARE(models.at(0).value, 4 * 120.0);

        auto *metric = usage->findChild<QComboBox *>(u"usageMetric"_s);
        metric->setCurrentIndex(metric->findData(int(ui::UsageDialog::Metric::Requests)));
        QCOMPARE(usage->byModel()->bars().at(1).value, 2.0);
        metric->setCurrentIndex(metric->findData(int(ui::UsageDialog::Metric::Cost)));
        QCOMPARE(usage->byModel()->bars().at(0).text, u"not priced"_s); // no price table yet: said, not $0
        // Drawn with QPainter: the bars are there, in the highlight colour.
        metric->setCurrentIndex(metric->findData(int(ui::UsageDialog::Metric::Tokens)));
        usage->byModel()->resize(400, 80);
        const QImage image = usage->byModel()->grab().toImage();
        const QRgb bar = usage->byModel()->palette().color(QPalette::Highlight).rgb();
        int barPixels = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                barPixels += image.pixel(x, y) == bar;
        }
        QVERIFY2(barPixels > 500, qPrintable(QString::number(barPixels)));
    }

    void writeProblemShowsABanner()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(u"blocked"_s)); // a file where the directory should be
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        telemetry::HistoryStore history(dir.filePath(u"blocked/history.sqlite"_s), bulkOptions());
        ui::UiContext context;
        context.history = &history;
        ui::TrafficPage page(context);
        page.show();
        history.publish(stored(1));
        auto *banner = page.findChild<QLabel *>(u"historyProblem"_s);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(u"history"_s));
    }

    void hundredThousandRequestsPageOffTheGuiThread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        constexpr int Count = 100000;
        {
            telemetry::HistoryStore before(path, bulkOptions());
            for (int id = 1; id <= Count; ++id)
                before.publish(stored(quint64(id), id % 2 ? u"ns/a"_s : u"ns/b"_s, id % 10 ? 200 : 500));
            QVERIFY(before.flush(120000));
        }
        telemetry::HistoryStore history(path, bulkOptions());
        ui::UiContext context;
        context.history = &history;
        ui::TrafficPage page(context);
        page.resize(1000, 700);
        page.show();
        auto *table = page.findChild<QTableView *>(u"trafficTable"_s);
        QTRY_VERIFY(page.model()->rowCount() >= ui::TrafficModel::HistoryPageSize);
        // Scrolling to the end asks for the next page (fetchMore), again and again.
        for (int i = 0; i < 30; ++i) {
            const int before = page.model()->rowCount();
            table->scrollToBottom();
            QTRY_VERIFY(page.model()->rowCount() > before);
        }
        QVERIFY(page.model()->rowCount() >= 31 * ui::TrafficModel::HistoryPageSize);

        // A search over all 100,000 runs on the reader's thread: held here, it holds the search
        // back, while the GUI thread goes on. Were it read on the GUI thread, it would be answered
        // at once.
        auto *reader = page.findChild<QThread *>(u"quarry-history-reader"_s);
        QVERIFY(reader);
        QSignalSpy answered(page.model(), &ui::TrafficModel::historyLoaded);
        {
            QSemaphore held, letGo;
            const auto releaseReader = qScopeGuard([&letGo] { letGo.release(); });
            auto *stall = new QObject;
            stall->moveToThread(reader);
            QMetaObject::invokeMethod(stall, [&held, &letGo, stall] {
                held.release();
                letGo.acquire();
                stall->deleteLater();
            });
            QVERIFY(held.tryAcquire(1, 10000));
            page.findChild<QLineEdit *>(u"textFilter"_s)->setText(u"model-5"_s);
            QTRY_VERIFY(page.model()->isLoadingHistory()); // past the search's debounce: asked
            QTest::qWait(100);
            QVERIFY(page.model()->isLoadingHistory());
            QCOMPARE(answered.count(), 0);
        }
        QTRY_VERIFY(!answered.isEmpty());
        QCOMPARE(answered.first().at(0).toString(), QString());
        QTRY_VERIFY(page.model()->rowCount() >= ui::TrafficModel::HistoryPageSize
                    && page.model()->recordAt(0).model == u"model-5"_s);
        QVERIFY(page.model()->historyRowCount() <= ui::TrafficModel::HistoryCapacity);
    }
};

QUARRY_TEST_MAIN(TestUiTrafficHistory)
#include "tst_ui_traffic_history.moc"
