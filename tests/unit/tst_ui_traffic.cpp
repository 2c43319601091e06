// The Traffic page's model and filters: newest first, capped at 1,000, filtered by route/status/text.
#include "models/TrafficFilterModel.h"
#include "models/TrafficModel.h"
#include "pages/TrafficPage.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTest>

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
    r.clientRequest.headers = {{u"authorization"_s, u"[redacted]"_s}};
    r.clientRequest.setBody(R"({"model":"","messages":[]})"_ba);
    return r;
}

} // namespace

class TestUiTraffic : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newestFirstAndCapped()
    {
        ui::TrafficModel model;
        for (quint64 id = 1; id <= ui::TrafficModel::Capacity + 5; ++id)
            model.add(record(id, u"ns/a"_s, 200, u"m"_s));
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.recordAt(0).id, quint64(1005));   // newest on top
        QCOMPARE(model.recordAt(999).id, quint64(6));    // the five oldest were dropped
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
    }

    void detailPaneShowsCapturesAndError()
    {
        ui::UiContext context;
        ui::TrafficPage page(context);
        page.model()->add(record(7, u"ns/bedrock"_s, 502, u"m"_s, u"upstream unreachable"_s));
        auto *table = page.findChild<QTableView *>(u"trafficTable"_s);
        table->setCurrentIndex(table->model()->index(0, 0));
        QVERIFY(page.findChild<QLabel *>(u"trafficSummary"_s)->text().contains(u"upstream unreachable"_s));
        const auto views = page.findChildren<QPlainTextEdit *>();
        const auto shown = std::find_if(views.begin(), views.end(), [](QPlainTextEdit *view) {
            return view->toPlainText().startsWith(u"POST /bedrock HTTP/1.1"_s);
        });
        QVERIFY(shown != views.end());
        QVERIFY((*shown)->toPlainText().contains(u"authorization: [redacted]"_s));
        QVERIFY((*shown)->toPlainText().contains(u"\"messages\""_s));
    }
};

QTEST_MAIN(TestUiTraffic)
#include "tst_ui_traffic.moc"
