// The Usage view: QPainter bar charts over history's totals.
#include "pages/UsageDialog.h"

#include "models/HistoryPager.h"
#include "telemetry/UsdText.h"
#include "widgets/UsageChart.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

QWidget *scrolled(QWidget *chart, QWidget *parent)
{
    auto *area = new QScrollArea(parent);
    area->setWidgetResizable(true);
    area->setWidget(chart);
    return area;
}

} // namespace

UsageDialog::UsageDialog(HistoryPager *pager, QWidget *parent) : QDialog(parent), m_pager(pager)
{
    setWindowTitle(tr("Usage"));
    setObjectName(u"usageDialog"_s);
    m_metric = new QComboBox(this);
    m_metric->setObjectName(u"usageMetric"_s);
    m_metric->setAccessibleName(tr("What to show"));
    m_metric->addItem(tr("Tokens"), int(Metric::Tokens));
    m_metric->addItem(tr("Cost"), int(Metric::Cost));
    m_metric->addItem(tr("Requests"), int(Metric::Requests));
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->hide();
    m_byDay = new UsageChart(this);
    m_byDay->setObjectName(u"usageByDay"_s);
    m_byDay->setAccessibleName(tr("Per day"));
    m_byModel = new UsageChart(this);
    m_byModel->setObjectName(u"usageByModel"_s);
    m_byModel->setAccessibleName(tr("Per model"));

    auto *form = new QFormLayout;
    form->addRow(tr("Show"), m_metric);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *reload = buttons->addButton(tr("Refresh"), QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(new QLabel(tr("Per day, last %1 days").arg(Days), this));
    layout->addWidget(scrolled(m_byDay, this), 1);
    layout->addWidget(new QLabel(tr("Per model, last %1 days").arg(Days), this));
    layout->addWidget(scrolled(m_byModel, this), 1);
    layout->addWidget(buttons);
    resize(640, 560);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(reload, &QPushButton::clicked, this, &UsageDialog::refresh);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &UsageDialog::render);
    connect(m_pager, &HistoryPager::totalsLoaded, this, &UsageDialog::onTotals);
    refresh();
}

void UsageDialog::refresh()
{
    telemetry::HistoryQuery query;
    query.since = QDate::currentDate().addDays(1 - Days).startOfDay();
    m_pager->requestTotals(telemetry::HistoryReader::GroupBy::Day, query);
    m_pager->requestTotals(telemetry::HistoryReader::GroupBy::Model, query);
}

void UsageDialog::onTotals(telemetry::HistoryReader::GroupBy by, const QList<telemetry::HistoryTotals> &totals,
                           const QString &error)
{
    m_problem->setText(error);
    m_problem->setVisible(!error.isEmpty());
    if (by == telemetry::HistoryReader::GroupBy::Day)
        m_dayTotals = totals;
    else if (by == telemetry::HistoryReader::GroupBy::Model)
        m_modelTotals = totals;
    render();
}

void UsageDialog::render()
{
    const auto metric = Metric(m_metric->currentData().toInt());
    const QLocale locale;
    const auto barsOf = [&](const QList<telemetry::HistoryTotals> &totals) {
        QList<UsageChart::Bar> bars;
        for (const auto &row : totals) {
            UsageChart::Bar bar;
            bar.label = row.key.isEmpty() ? tr("(none)") : row.key;
            switch (metric) {
            case Metric::Tokens: {
                const qint64 tokens = row.tokensIn + row.tokensOut + row.cacheRead + row.cacheWrite;
                bar.value = double(tokens);
                bar.text = tr("%1 tokens").arg(locale.toString(tokens));
                break;
            }
            case Metric::Cost:
                bar.value = row.costUsd;
                bar.text = row.pricedRequests ? telemetry::usdText(row.costUsd) : tr("not priced");
                break;
            case Metric::Requests:
                bar.value = double(row.requests);
                bar.text = locale.toString(row.requests);
                break;
            }
            bars.append(bar);
        }
        return bars;
    };
    const QString none = tr("No requests in the last %1 days").arg(Days);
    m_byDay->setBars(barsOf(m_dayTotals), none);
    m_byModel->setBars(barsOf(m_modelTotals), none);
}

} // namespace quarry::ui
