// Usage: tokens, cost or requests per day and per model over the last 30 days, from history, as
// bar charts. Opened from the Traffic page; the totals are read on the history thread.
#pragma once

#include "telemetry/HistoryReader.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace quarry::ui {

class HistoryPager;
class UsageChart;

class UsageDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int Days = 30;
    enum class Metric { Tokens, Cost, Requests };

    UsageDialog(HistoryPager *pager, QWidget *parent = nullptr);

    void refresh(); // asks history again
    UsageChart *byDay() const { return m_byDay; }
    UsageChart *byModel() const { return m_byModel; }

private:
    void onTotals(telemetry::HistoryReader::GroupBy by, const QList<telemetry::HistoryTotals> &totals,
                  const QString &error);
    void render();

    HistoryPager *m_pager;
    QComboBox *m_metric = nullptr;
    QLabel *m_problem = nullptr;
    UsageChart *m_byDay = nullptr;
    UsageChart *m_byModel = nullptr;
    QList<telemetry::HistoryTotals> m_dayTotals;
    QList<telemetry::HistoryTotals> m_modelTotals;
};

} // namespace quarry::ui
