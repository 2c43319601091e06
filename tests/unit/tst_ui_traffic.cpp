// The Traffic page's model and filters: newest first, capped at 1,000 rows and a capture memory
// budget, filtered by route/status/text; Clear asks, then gives the memory back; secrets redacted.
#include "models/TrafficFilterModel.h"
#include "models/TrafficModel.h"
#include "pages/TrafficPage.h"
#include "telemetry/HeaderRedaction.h"
#include "util/EscapeControl.h"

#include "Confirmations.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace quarry;

namespace {

telemetry::TrafficRecord record(quint64 id, const QString &route, int status, const QString &model,
                                const QString &error = {})
{
    telemetry::TrafficRecord r;
    r.id = id;
    r.started = QDateTime::currentDateTime();
    r.method = u"POST"_s;
    r.path = u"/bedrock"_s;
    r.route = route;
    r.backend = u"agentgateway-system/bedrock"_s;
    r.model = model;
    r.status = status;
    r.error = error;
    r.clientRequest.startLine = u"POST /bedrock HTTP/1.1"_s;
    r.clientRequest.setShownHeaders({{u"content-type"_s, u"application/json"_s}});
    r.clientRequest.setBody(R"({"model":"","messages":[]})"_ba);
    return r;
}

// A record whose four captures hold `each` bytes apiece, distinct per record (as real traffic is).
telemetry::TrafficRecord bulky(quint64 id, qsizetype each)
{
    telemetry::TrafficRecord r = record(id, u"ns/a"_s, 200, u"m"_s);
    char which = 'a';
    for (auto *capture : {&r.clientRequest, &r.clientResponse, &r.upstreamRequest, &r.upstreamResponse}) {
        QByteArray fill(each, which++); // its own allocation, as each capture is in the gateway
        fill.replace(0, 20, QByteArray::number(id).leftJustified(20, ' '));
        capture->setBody(fill);
    }
    return r;
}

qsizetype sumOfCaptures(const ui::TrafficModel &model)
{
    qsizetype sum = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        sum += model.recordAt(row).captureBytes();
    return sum;
}

qint64 residentBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * 4096 : -1;
}

} // namespace

class TestUiTraffic : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void costColumnShowsThePriceOrADash()
    {
        ui::TrafficModel model;
        QCOMPARE(model.headerData(ui::TrafficModel::Cost, Qt::Horizontal).toString(), u"Cost"_s);
        auto priced = record(1, u"ns/a"_s, 200, u"amazon.nova-micro-v1:0"_s);
        priced.tokens.input = 10000;
        priced.tokens.output = 2000;
        priced.tokens.present = true;
        priced.costUsd = 0.00063;
        auto unpriced = record(2, u"ns/a"_s, 200, u"example.unknown-v1"_s);
        unpriced.tokens.present = true;
        auto failed = record(3, u"ns/a"_s, 502, u"m"_s); // Bedrock never answered: no tokens, no cost
        model.add(priced);
        model.add(unpriced);
        model.add(failed);
        QCOMPARE(model.index(2, ui::TrafficModel::Cost).data().toString(), u"$0.00063"_s);
        QCOMPARE(model.index(1, ui::TrafficModel::Cost).data().toString(), u"\u2014"_s);
        QCOMPARE(model.index(0, ui::TrafficModel::Cost).data().toString(), QString());
    }

    void apiColumnTellsRequestsToOneRouteApart()
    {
        ui::TrafficModel model;
        QCOMPARE(model.headerData(ui::TrafficModel::Api, Qt::Horizontal).toString(), u"API"_s);
        auto chat = record(1, u"ns/a"_s, 200, u"m"_s);
        chat.api = u"Completions"_s;
        auto messages = record(2, u"ns/a"_s, 200, u"m"_s);
        messages.api = u"Messages"_s;
        model.add(chat);
        model.add(messages);
        QCOMPARE(model.index(1, ui::TrafficModel::Api).data().toString(), u"Completions"_s);
        QCOMPARE(model.index(0, ui::TrafficModel::Api).data().toString(), u"Messages"_s);
    }

    // The column holds Bedrock's word, which is not the one an OpenAI client read: the header says so.
    void stopReasonHeaderSaysWhoseWordItIs()
    {
        ui::TrafficModel model;
        QCOMPARE(model.headerData(ui::TrafficModel::StopReason, Qt::Horizontal).toString(), u"Stop reason"_s);
        const QString tip = model.headerData(ui::TrafficModel::StopReason, Qt::Horizontal, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"Bedrock"_s) && tip.contains(u"end_turn"_s) && tip.contains(u"length"_s), qPrintable(tip));
        QVERIFY(model.headerData(ui::TrafficModel::Cost, Qt::Horizontal, Qt::ToolTipRole).isNull());
    }

    void newestFirstAndCapped()
    {
        ui::TrafficModel model;
        for (quint64 id = 1; id <= ui::TrafficModel::Capacity + 5; ++id)
            model.add(record(id, u"ns/a"_s, 200, u"m"_s));
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.recordAt(0).id, quint64(1005));   // newest on top
        QCOMPARE(model.recordAt(999).id, quint64(6));    // the five oldest were dropped
    }

    // 1,000 rows of up to 4 x 256 KiB captures would be a gigabyte: the captures share one budget,
    // the oldest lose theirs first, every row stays.
    void capturesStayWithinTheBudgetNewestKept()
    {
        ui::TrafficModel model;
        constexpr qsizetype each = 100 * 1024; // 400 KiB a record: 120 records are ~47 MiB
        for (quint64 id = 1; id <= 120; ++id)
            model.add(bulky(id, each));
        QCOMPARE(model.rowCount(), 120); // rows are never dropped for the budget
        QVERIFY2(model.captureBytes() <= ui::TrafficModel::CaptureBudget,
                 qPrintable(QString::number(model.captureBytes())));
        QCOMPARE(model.captureBytes(), sumOfCaptures(model)); // the count is what is really held
        // The budget is used, not given up: dropping stops as soon as the rest fits.
        QVERIFY(model.captureBytes() > ui::TrafficModel::CaptureBudget - 4 * each - 4096);

        // The newest keep their captures, the oldest lost theirs, and nothing in between is skipped.
        QCOMPARE(model.recordAt(0).id, quint64(120));
        QCOMPARE(model.recordAt(0).clientRequest.body, bulky(120, each).clientRequest.body);
        QVERIFY(!model.recordAt(0).capturesDropped);
        QVERIFY(model.recordAt(119).capturesDropped);
        QCOMPARE(model.recordAt(119).captureBytes(), 0);
        QCOMPARE(model.recordAt(119).id, quint64(1));
        int kept = 0;
        while (kept < model.rowCount() && !model.recordAt(kept).capturesDropped)
            ++kept;
        for (int row = kept; row < model.rowCount(); ++row)
            QVERIFY(model.recordAt(row).capturesDropped);
        QVERIFY(kept >= 70 && kept < 120);

        // Past the row capacity as well: the count still matches what the rows hold.
        for (quint64 id = 121; id <= ui::TrafficModel::Capacity + 130; ++id)
            model.add(bulky(id, 8 * 1024));
        QCOMPARE(model.rowCount(), ui::TrafficModel::Capacity);
        QCOMPARE(model.captureBytes(), sumOfCaptures(model));
        QVERIFY(model.captureBytes() <= ui::TrafficModel::CaptureBudget);
        QVERIFY(!model.recordAt(0).capturesDropped);
    }

    void droppedCapturesSaySo()
    {
        ui::UiContext context;
        ui::TrafficPage page(context);
        for (quint64 id = 1; id <= 100; ++id)
            page.model()->add(bulky(id, 100 * 1024));
        auto *table = page.findChild<QTableView *>(u"trafficTable"_s);
        table->setCurrentIndex(table->model()->index(99, 0)); // the oldest
        const auto views = page.findChildren<QPlainTextEdit *>();
        QVERIFY(!views.isEmpty());
        for (QPlainTextEdit *view : views)
            QVERIFY2(view->toPlainText().contains(u"memory"_s), qPrintable(view->toPlainText()));
    }

    void clearAsksThenReleasesTheMemory()
    {
        ui::UiContext context;
        ui::TrafficPage page(context);
        for (quint64 id = 1; id <= 100; ++id)
            page.model()->add(bulky(id, 100 * 1024));
        QVERIFY(page.model()->captureBytes() > 24 * 1024 * 1024);
        auto *clear = page.findChild<QPushButton *>(u"clearTraffic"_s);
        QVERIFY(clear);

        // Cancel keeps everything.
        auto asked = quarry::test::answerConfirmation(u"confirmClear"_s, QMessageBox::Cancel);
        clear->click();
        QVERIFY2(*asked, "Clear deleted without asking");
        QCOMPARE(page.model()->rowCount(), 100);

        const qint64 before = residentBytes();
        asked = quarry::test::answerConfirmation(u"confirmClear"_s, QMessageBox::Yes);
        clear->click();
        QVERIFY(*asked);
        QCOMPARE(page.model()->rowCount(), 0);
        QCOMPARE(page.model()->captureBytes(), 0);
        // The process really gets the memory back (what a user watching the window's RSS sees).
        const qint64 after = residentBytes();
        if (before > 0) {
            qInfo("resident: %lld MiB before Clear, %lld MiB after", before >> 20, after >> 20);
            QVERIFY2(before - after > 24 * 1024 * 1024, // of the ~32 MiB the captures held
                     qPrintable(u"only %1 KiB given back"_s.arg((before - after) / 1024)));
        }
    }

    void filtersByRouteStatusAndText()
    {
        ui::UiContext context;
        ui::TrafficPage page(context);
        page.model()->add(record(1, u"ns/bedrock"_s, 200, u"amazon.titan-text-lite-v1"_s));
        page.model()->add(record(2, u"ns/claude"_s, 429, u"anthropic.claude-3-haiku"_s, u"Too many requests"_s));
        page.model()->add(record(3, u"ns/bedrock"_s, 502, u"amazon.nova-micro-v1:0"_s, u"upstream unreachable"_s));
        page.model()->add(record(4, u"ns/bedrock"_s, 200, u"amazon.nova-micro-v1:0"_s, u"stream failed"_s));
        auto *table = page.findChild<QTableView *>(u"trafficTable"_s);
        QCOMPARE(table->model()->rowCount(), 4);

        auto *route = page.findChild<QComboBox *>(u"routeFilter"_s);
        route->setCurrentIndex(route->findData(u"ns/claude"_s));
        QCOMPARE(table->model()->rowCount(), 1);
        route->setCurrentIndex(0);

        auto *status = page.findChild<QComboBox *>(u"statusFilter"_s);
        status->setCurrentIndex(status->findData(int(ui::TrafficFilterModel::StatusClass::ClientError)));
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, 0).data(ui::TrafficModel::IdRole).toULongLong(), 2u);
        status->setCurrentIndex(status->findData(int(ui::TrafficFilterModel::StatusClass::Failed)));
        QCOMPARE(table->model()->rowCount(), 3); // 429, 502 and the stream that failed after its 200
        status->setCurrentIndex(status->findData(int(ui::TrafficFilterModel::StatusClass::Success)));
        QCOMPARE(table->model()->rowCount(), 1);
        status->setCurrentIndex(0);

        auto *text = page.findChild<QLineEdit *>(u"textFilter"_s);
        QTest::keyClicks(text, u"NOVA"_s);
        QCOMPARE(table->model()->rowCount(), 2);
        text->setText(u"unreachable"_s); // errors are searchable too
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, 0).data(ui::TrafficModel::IdRole).toULongLong(), 3u);

        // Filters that hide every request say so, rather than leave an empty table.
        auto *noMatches = page.findChild<QLabel *>(u"noMatches"_s);
        QVERIFY(noMatches->isHidden());
        text->setText(u"zzz-nothing-like-it"_s);
        QCOMPARE(table->model()->rowCount(), 0);
        QVERIFY(!noMatches->isHidden());
        text->clear();
        QVERIFY(noMatches->isHidden());
        status->setCurrentIndex(status->findData(int(ui::TrafficFilterModel::StatusClass::ServerError)));
        route->setCurrentIndex(route->findData(u"ns/claude"_s));
        QCOMPARE(table->model()->rowCount(), 0);
        QVERIFY(!noMatches->isHidden());
        page.model()->add(record(5, u"ns/claude"_s, 503, u"anthropic.claude-3-haiku"_s, u"unavailable"_s));
        QCOMPARE(table->model()->rowCount(), 1);
        QVERIFY(noMatches->isHidden());
    }

    void detailPaneShowsCapturesAndError()
    {
        ui::UiContext context;
        ui::TrafficPage page(context);
        auto r = record(7, u"ns/bedrock"_s, 502, u"m"_s, u"upstream unreachable"_s);
        // Captured the way the gateway captures a request: through the product's redaction.
        r.clientRequest.setWireHeaders({{"Content-Type", "application/json"},
                                        {"Authorization", "Bearer sk-live-0123456789abcdefSECRET"},
                                        {"x-api-key", "qk-9876543210SECRET"}});
        page.model()->add(r);
        auto *table = page.findChild<QTableView *>(u"trafficTable"_s);
        table->setCurrentIndex(table->model()->index(0, 0));
        QVERIFY(page.findChild<QLabel *>(u"trafficSummary"_s)->text().contains(u"upstream unreachable"_s));
        const auto views = page.findChildren<QPlainTextEdit *>();
        const auto shown = std::find_if(views.begin(), views.end(), [](QPlainTextEdit *view) {
            return view->toPlainText().startsWith(u"POST /bedrock HTTP/1.1"_s);
        });
        QVERIFY(shown != views.end());
        const QString text = (*shown)->toPlainText();
        QVERIFY2(text.contains(u"\nAuthorization: Bearer <redacted>\n"_s), qPrintable(text));
        QVERIFY2(text.contains(u"\nx-api-key: <redacted>\n"_s), qPrintable(text));
        QVERIFY(text.contains(u"\"messages\""_s));
        // The secret is nowhere on the page, in any tab or label.
        for (QPlainTextEdit *view : views)
            QVERIFY(!view->toPlainText().contains(u"SECRET"_s));
        for (QLabel *label : page.findChildren<QLabel *>())
            QVERIFY(!label->text().contains(u"SECRET"_s));
    }

    // Issue 12 item 4: client text (a model id from the path with %0A/%1B, an error quoting the
    // request, a bidi override) is shown escaped in the list, the details and the serve log line.
    void clientTextIsEscapedEverywhereItIsShown()
    {
        const QString forged = u"evil\n2026-01-01T00:00:00.000Z GET /forged 200\x1b[31m\u202e\x9b"_s;
        QCOMPARE(util::escapeControl(forged),
                 u"evil\\n2026-01-01T00:00:00.000Z GET /forged 200\\x1b[31m\\u202e\\x9b"_s);
        QCOMPARE(util::escapeControl(u"a\\n\t\u2028\u2066\x7f"_s), u"a\\\\n\\t\\u2028\\u2066\\x7f"_s);
        QCOMPARE(util::escapeControl(u"plain é ü 模型"_s), u"plain é ü 模型"_s);

        ui::UiContext context;
        ui::TrafficPage page(context);
        auto r = record(9, {}, 400, forged, u"unknown model '"_s + forged + u"'"_s);
        r.path = u"/model/"_s + forged + u"/invoke"_s;
        r.clientRequest.startLine = u"POST /model/evil\n\x1b[2J/invoke HTTP/1.1"_s;
        r.clientRequest.setShownHeaders({{u"x-evil"_s, u"a\x1b]0;title\x07"_s}});
        page.model()->add(r);
        const auto isClean = [](const QString &text) {
            return !text.contains(u'\n') && !text.contains(QChar(0x1b)) && !text.contains(QChar(0x202e)) &&
                   !text.contains(QChar(0x9b)) && !text.contains(QChar(0x07));
        };
        ui::TrafficModel &model = *page.model();
        for (int column = 0; column < model.columnCount(); ++column) {
            const QString shown = model.index(0, column).data().toString();
            QVERIFY2(isClean(shown), qPrintable(shown));
        }
        QCOMPARE(model.index(0, ui::TrafficModel::Model).data().toString(), util::escapeControl(forged));
        QVERIFY(isClean(model.index(0, 0).data(Qt::ToolTipRole).toString()));
        QVERIFY(isClean(model.index(0, 0).data(ui::TrafficModel::ErrorRole).toString()));

        auto *table = page.findChild<QTableView *>(u"trafficTable"_s);
        table->setCurrentIndex(table->model()->index(0, 0));
        const QString summary = page.findChild<QLabel *>(u"trafficSummary"_s)->text();
        // The summary's own line breaks separate its parts; each part is clean.
        for (const QString &line : summary.split(u'\n'))
            QVERIFY2(isClean(line), qPrintable(line));
        QCOMPARE(summary.count(u'\n'), 1); // the error line, and no line the client made
        QVERIFY(summary.contains(u"\\x1b[31m"_s));
        const auto views = page.findChildren<QPlainTextEdit *>();
        const auto shown = std::find_if(views.begin(), views.end(), [](QPlainTextEdit *view) {
            return view->toPlainText().startsWith(u"POST /model/"_s);
        });
        QVERIFY(shown != views.end());
        const QStringList lines = (*shown)->toPlainText().split(u'\n');
        QCOMPARE(lines.value(0), u"POST /model/evil\\n\\x1b[2J/invoke HTTP/1.1"_s);
        QCOMPARE(lines.value(1), u"x-evil: a\\x1b]0;title\\x07"_s);

        // The serve log: one line, no raw ESC, quotes in quoted values escaped.
        r.error = u"bad \"quoted\" value\nforged=1"_s;
        const QString line = r.toLogLine();
        QVERIFY2(isClean(line), qPrintable(line));
        QVERIFY2(line.endsWith(u" error=\"bad \\\"quoted\\\" value\\nforged=1\""_s), qPrintable(line));
        QVERIFY2(line.contains(u" model=evil\\n2026"_s), qPrintable(line));
    }
};

QTEST_MAIN(TestUiTraffic)
#include "tst_ui_traffic.moc"
