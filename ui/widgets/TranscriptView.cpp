// Everything in the column is as wide as the view, never wider: no horizontal scroll bar.
#include "widgets/TranscriptView.h"

#include <QScrollBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

TranscriptView::TranscriptView(QWidget *parent) : QScrollArea(parent)
{
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_column = new QWidget(this);
    m_column->setObjectName(u"transcriptColumn"_s);
    m_column->setBackgroundRole(QPalette::Base);
    m_column->setAutoFillBackground(true);
    m_layout = new QVBoxLayout(m_column);
    m_layout->setContentsMargins(6, 6, 6, 6);
    m_layout->setSpacing(8);
    m_layout->addStretch(1);
    setWidget(m_column);
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_following = value >= bar->maximum() - 4; });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_following)
            bar->setValue(maximum);
    });
}

QSize TranscriptView::minimumSizeHint() const
{
    return {120, 80};
}

MessageView *TranscriptView::addMessage(MessageView::Role role, const QString &markdown)
{
    flush();
    auto *message = new MessageView(role, m_column);
    m_layout->insertWidget(m_layout->count() - 1, message); // before the stretch
    m_messages.append(message);
    if (!markdown.isEmpty())
        message->setText(markdown);
    return message;
}

void TranscriptView::appendStreamed(const QString &text)
{
    if (MessageView *last = lastMessage())
        last->appendText(text);
}

void TranscriptView::appendReasoning(const QString &text)
{
    if (MessageView *last = lastMessage())
        last->appendReasoning(text);
}

void TranscriptView::flush()
{
    if (MessageView *last = lastMessage())
        last->render();
}

void TranscriptView::clear()
{
    qDeleteAll(m_messages);
    m_messages.clear();
    m_following = true;
}

void TranscriptView::scrollToTop()
{
    m_following = false;
    verticalScrollBar()->setValue(0);
}

QString TranscriptView::toPlainText() const
{
    QStringList lines;
    for (const MessageView *message : m_messages)
        lines.append(message->plainText());
    return lines.join(u'\n');
}

} // namespace quarry::ui
