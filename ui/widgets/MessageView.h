// One message of the Console's transcript: who said it, its Markdown (prose and code blocks),
// the model's reasoning under a collapsed disclosure, tool calls and results as cards, images,
// and the answer's stats in a line that wraps.
#pragma once

#include "client/ChatResponseReader.h"

#include <QFrame>
#include <QList>
#include <QTimer>

class QLabel;
class QToolButton;
class QVBoxLayout;

namespace quarry::ui {

class MarkdownTextView;

class MessageView : public QFrame
{
    Q_OBJECT
public:
    enum class Role { User, Assistant, Notice };
    // Streamed text is rendered at most this often; longer messages wait longer between renders
    // (one more millisecond per KiB of the block being written), so the total rendering work of an
    // answer grows with its length, not with its length squared.
    static constexpr int RenderIntervalMs = 50;

    explicit MessageView(Role role, QWidget *parent = nullptr);

    Role role() const { return m_role; }
    QString text() const { return m_text; }
    QString reasoning() const { return m_reasoning; }

    void setText(const QString &markdown); // renders now
    void appendText(const QString &delta); // renders at the next tick
    void setReasoning(const QString &text);
    void appendReasoning(const QString &delta);
    void addToolCall(const client::ChatToolCall &call);
    void addToolResult(const QString &toolCallId, const QString &content);
    bool addImage(const QString &dataUrl); // false when it is not an image data URL
    void setStats(const QString &stats);
    QString stats() const;
    void render(); // what appendText() left for the next tick, now

    // "You: …" / "Assistant: …": the transcript as plain text (tests, copy).
    QString plainText() const;

private:
    void scheduleRender();
    void renderBlocks();
    QWidget *toolCard(const QString &title, const QString &body);

    Role m_role;
    QString m_text;
    QString m_reasoning;
    bool m_textDirty = false;
    bool m_reasoningDirty = false;
    QTimer m_renderTimer;
    QList<QWidget *> m_blockViews; // one per Markdown block, in order
    QVBoxLayout *m_blocks = nullptr;
    QVBoxLayout *m_extras = nullptr; // tool cards and images, after the text
    QToolButton *m_reasoningToggle = nullptr;
    MarkdownTextView *m_reasoningView = nullptr;
    QLabel *m_stats = nullptr;
};

// Image data URLs (data:image/png;base64,…) found in text, in order; a prompt may carry them.
QStringList imageDataUrls(const QString &text);

} // namespace quarry::ui
