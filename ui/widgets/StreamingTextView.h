// A transcript that takes streamed text quickly: deltas are buffered and appended once per frame.
#pragma once

#include <QPlainTextEdit>
#include <QTimer>

namespace quarry::ui {

// Re-setting the whole text per delta is quadratic and freezes the window on long answers;
// appending a few hundred deltas at once every ~30 ms keeps it smooth.
class StreamingTextView : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int FlushIntervalMs = 30;

    explicit StreamingTextView(QWidget *parent = nullptr);

    void appendStreamed(const QString &text); // shown at the next flush
    void appendBlock(const QString &text);    // flushes, then starts a new paragraph
    void flush();
    QString pending() const { return m_pending; }

private:
    QString m_pending;
    QTimer m_timer;
};

} // namespace quarry::ui
