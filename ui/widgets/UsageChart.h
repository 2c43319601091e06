// A horizontal bar chart drawn with QPainter (Qt Charts is GPL-only): one labelled bar per row,
// its length proportional to the largest value, the value written beside it.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

namespace quarry::ui {

class UsageChart : public QWidget
{
    Q_OBJECT
public:
    struct Bar
    {
        QString label; // a day or a model
        double value = 0;
        QString text;  // the value as shown ("1,234 tokens", "$0.0123")
    };

    explicit UsageChart(QWidget *parent = nullptr);

    void setBars(const QList<Bar> &bars, const QString &emptyText);
    const QList<Bar> &bars() const { return m_bars; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Bar> m_bars;
    QString m_emptyText;
};

} // namespace quarry::ui
