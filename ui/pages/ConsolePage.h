// The Console page: chat with a route through the local listener, as any client would.
#pragma once

#include "UiContext.h"
#include "client/ChatClient.h"
#include "console/Conversation.h"
#include "telemetry/TrafficRecord.h"

#include <QList>

#include <memory>
#include <optional>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace quarry::ui {

class CaptureView;
class ConversationPicker;
class ConversationStore;
class TranscriptView;

class ConsolePage : public QWidget
{
    Q_OBJECT
public:
    explicit ConsolePage(UiContext &context, QWidget *parent = nullptr);
    ~ConsolePage() override;

    // The request Send would make now (with the prompt box as the next user turn).
    client::ChatRequest currentRequest() const;
    // What "Copy as curl" copies: the last request sent, or currentRequest() before the first Send.
    client::ChatRequest requestToCopy() const;
    // The conversation on screen, as it is (or will be) saved.
    const Conversation &conversation() const { return m_conversation; }
    // Shows a conversation (a saved one, or the screenshot tour's sample) in place of the current one.
    void showConversation(const Conversation &conversation);

public Q_SLOTS:
    void send();
    void stop();
    void clearConversation();
    void copyAsCurl();
    void reloadRoutes();
    void openConversation(const QString &id); // a damaged file is reported, left as it is

Q_SIGNALS:
    void answerFinished(const quarry::client::ChatOutcome &outcome); // for tests and the status line
    void recordShown(quint64 id);

private:
    QWidget *buildSettings();
    QWidget *buildChat();
    QWidget *buildInspector();
    QWidget *buildStats();
    void onResponseStarted(int status, quint64 requestId);
    void onFinished(const client::ChatOutcome &outcome);
    void onRecord(const telemetry::TrafficRecord &record);
    void showStats(const client::ChatOutcome &outcome);
    void showRecord(const telemetry::TrafficRecord &record);
    void showStopReason();
    void setBusy(bool busy);
    QString answerStatsText() const;
    void saveConversation();
    QString baseUrl() const;

    UiContext &m_context;
    client::ChatClient *m_client = nullptr;
    QList<client::ChatMessage> m_history;
    Conversation m_conversation;
    std::unique_ptr<ConversationStore> m_store; // null without a data directory
    QList<telemetry::TrafficRecord> m_recentRecords; // while waiting: records that beat their answer here
    quint64 m_requestId = 0;
    std::optional<client::ChatRequest> m_sent; // the last request sent, as sent
    QString m_finishReason;      // OpenAI's finish_reason, as the client saw it
    QString m_bedrockStopReason; // Bedrock's stopReason, from the traffic record

    QComboBox *m_route = nullptr;
    QLineEdit *m_model = nullptr;
    QPlainTextEdit *m_system = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_maxTokens = nullptr;
    QCheckBox *m_stream = nullptr;
    TranscriptView *m_transcript = nullptr;
    ConversationPicker *m_conversations = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    QWidget *m_statsRow = nullptr; // the last answer's stats, for tests; each answer shows its own
    QLabel *m_tokens = nullptr;
    QLabel *m_cost = nullptr; // from the traffic record: what the answer cost at the price table's rates
    QLabel *m_stopReason = nullptr;
    QLabel *m_timing = nullptr;
    CaptureView *m_captures[4] = {};
};

} // namespace quarry::ui
