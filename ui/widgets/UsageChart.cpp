// Painting of the usage bars.
#include "widgets/UsageChart.h"

#include "util/EscapeControl.h"

#include <QPainter>

#include <algorithm>

namespace quarry::ui {

namespace {
constexpr int RowGap = 4;
constexpr int Margin = 6;
} // namespace

UsageChart::UsageChart(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void UsageChart::setBars(const QList<Bar> &bars, const QString &emptyText)
{
    m_bars = bars;
    m_emptyText = emptyText;
    updateGeometry();
    update();
}

QSize UsageChart::sizeHint() const
{
    const int row = fontMetrics().height() + RowGap;
    return {400, 2 * Margin + row * int(qMax<qsizetype>(1, m_bars.size()))};
}

void UsageChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = rect().adjusted(Margin, Margin, -Margin, -Margin);
    if (m_bars.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter, m_emptyText);
        return;
    }
    const QFontMetrics metrics = fontMetrics();
    const int rowHeight = metrics.height();
    // Labels (model ids come from clients: escaped) in a column as wide as the widest, up to a third.
    int labelWidth = 0;
    int textWidth = 0;
    double largest = 0;
    for (const Bar &bar : m_bars) {
        labelWidth = qMax(labelWidth, metrics.horizontalAdvance(util::escapeControl(bar.label)));
        textWidth = qMax(textWidth, metrics.horizontalAdvance(bar.text));
        largest = std::max(largest, bar.value);
    }
    labelWidth = qMin(labelWidth, area.width() / 3);
    const int barSpace = qMax(0, area.width() - labelWidth - textWidth - 2 * Margin);
    int y = area.top();
    for (const Bar &bar : m_bars) {
        const QRect labelRect(area.left(), y, labelWidth, rowHeight);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter,
                         metrics.elidedText(util::escapeControl(bar.label), Qt::ElideMiddle, labelWidth));
        const int length = largest > 0 ? int(barSpace * (bar.value / largest)) : 0;
        const QRect barRect(labelRect.right() + Margin, y + 2, qMax(length, bar.value > 0 ? 1 : 0), rowHeight - 4);
        painter.fillRect(barRect, palette().color(QPalette::Highlight));
        painter.drawText(QRect(barRect.right() + Margin, y, textWidth + Margin, rowHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, bar.text);
        y += rowHeight + RowGap;
    }
}

} // namespace quarry::ui
