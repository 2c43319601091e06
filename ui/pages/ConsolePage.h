// The Console page: chat with a route through the local listener, as any client would.
#pragma once

#include "UiContext.h"
#include "client/ChatClient.h"
#include "console/CodeSnippets.h"
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
class QMenu;
class QTabWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QSplitter;

namespace quarry::ui {

class CaptureView;
class ImageAttachments;
class ModelListFetcher;
class ModelPicker;
class RawRequestEditor;
class RequestCollection;
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
    // What "Copy as" copies: the last request sent, or the one Send would make before the first Send
    // (the raw editor's, when it is on and reads).
    client::RawRequest requestToCopy() const;
    // Loads a captured client request (Traffic's "Open in Console") into the raw editor, pointed at
    // this listener, and turns the raw editor on. False (and the status says why) without a body.
    bool openCapturedRequest(const telemetry::TrafficRecord &record);
    // The conversation on screen, as it is (or will be) saved.
    const Conversation &conversation() const { return m_conversation; }
    // Shows a conversation (a saved one, or the screenshot tour's sample) in place of the current one.
    void showConversation(const Conversation &conversation);

public Q_SLOTS:
    void send();
    void stop();
    void clearConversation();
    void copyAsCurl();
    void copyAs(quarry::ui::CodeSnippets::Language language);
    void reloadRoutes();
    // Asks the selected route for its models (GET {route}/v1/models) to fill the model picker. Done
    // when the user opens the list or presses List, not on its own: each ask shows in Traffic.
    void refreshModels();
    // Raw mode: Send sends the raw editor's request; turning it on fills the editor from the form.
    void setRawMode(bool on);
    void saveRequest();
    void loadSavedRequest();
    void deleteSavedRequest();
    void openConversation(const QString &id); // a damaged file is reported, left as it is

Q_SIGNALS:
    void answerFinished(const quarry::client::ChatOutcome &outcome); // for tests and the status line
    void recordShown(quint64 id);
    void modelsListed(); // the model picker was filled, or said why it could not be

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildSettings();
    QWidget *buildChat();
    QWidget *buildInspector();
    QWidget *buildStats();
    QWidget *buildCollection();
    QMenu *buildCopyMenu();
    // Clears the previous answer's views and sends `request`; `turn` is the prompt it carries
    // (kept in the history when answered), empty for a raw request.
    // conversationTurn: the prompt's turn, kept in the history and the saved conversation (a raw
    // request is neither).
    void startSending(const client::RawRequest &request, bool conversationTurn);
    client::ChatMessage nextUserTurn() const;
    void forgetLastExchange();
    void sendRaw();
    // Turns raw mode on or off without refilling the editor (it holds a loaded request).
    void showRawMode(bool on);
    void reloadCollection();
    void showModels(const QStringList &models);
    void showModelProblem(const QString &problem);
    QString routeBackendModel() const;
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
    std::optional<client::RawRequest> m_sent; // the last request sent, as sent
    bool m_sentTurn = false;                  // it carried the prompt as a turn (not a raw request)
    QString m_finishReason;      // OpenAI's finish_reason, as the client saw it
    QString m_bedrockStopReason; // Bedrock's stopReason, from the traffic record

    ModelListFetcher *m_models = nullptr;
    std::unique_ptr<RequestCollection> m_collection;
    QComboBox *m_route = nullptr;
    QComboBox *m_api = nullptr;
    ModelPicker *m_model = nullptr; // editable: the route's models, or any id typed
    bool m_modelsListed = false;    // for the route selected now
    QLabel *m_modelStatus = nullptr;
    QPlainTextEdit *m_system = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_maxTokens = nullptr;
    QCheckBox *m_stream = nullptr;
    QCheckBox *m_rawMode = nullptr;
    QComboBox *m_upstream = nullptr; // Simulator / Bedrock, per request
    RawRequestEditor *m_rawEditor = nullptr;
    QTabWidget *m_inspector = nullptr;
    QLineEdit *m_saveName = nullptr;
    QComboBox *m_saved = nullptr;
    QLabel *m_collectionStatus = nullptr;
    TranscriptView *m_transcript = nullptr;
    ConversationPicker *m_conversations = nullptr;
    ImageAttachments *m_attachments = nullptr;
    QWidget *m_rawTab = nullptr; // the inspector's tab holding m_rawEditor
    QSplitter *m_chatSplitter = nullptr; // the conversation above, the inspector below
    bool m_chatSplitSet = false;
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
