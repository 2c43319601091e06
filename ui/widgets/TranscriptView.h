// The Console's conversation: a scrolling column of messages (see MessageView). Streamed deltas
// go to the last message only, so earlier messages are never rendered again.
#pragma once

#include "widgets/MessageView.h"

#include <QList>
#include <QScrollArea>

class QVBoxLayout;

namespace quarry::ui {

class TranscriptView : public QScrollArea
{
    Q_OBJECT
public:
    explicit TranscriptView(QWidget *parent = nullptr);

    MessageView *addMessage(MessageView::Role role, const QString &markdown = {});
    MessageView *lastMessage() const { return m_messages.isEmpty() ? nullptr : m_messages.last(); }
    QList<MessageView *> messages() const { return m_messages; }

    void appendStreamed(const QString &text);  // to the last message, rendered at its next tick
    void appendReasoning(const QString &text); // likewise
    void flush();                              // renders what is pending now
    void clear();
    void scrollToTop(); // and stays there while the layout settles (no longer following the end)
    QString toPlainText() const; // one line per message: "You: …", "Assistant: …"

    QSize minimumSizeHint() const override; // small: the messages wrap to whatever width it gets

private:
    QWidget *m_column = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QList<MessageView *> m_messages;
    bool m_following = true; // at the bottom: new text scrolls into view; scrolled up: left alone
};

} // namespace quarry::ui
