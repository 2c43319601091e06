// The Console page: builds OpenAI requests, streams the answer, and shows the matching traffic record.
#include "pages/ConsolePage.h"

#include "gateway/GatewayController.h"
#include "telemetry/UsdText.h"
#include "widgets/CaptureView.h"
#include "console/ConversationPicker.h"
#include "console/ConversationStore.h"
#include "widgets/TranscriptView.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

constexpr qsizetype kRecentRecords = 16;

QStringList routePaths(const config::HttpRoute &route)
{
    QStringList paths;
    for (const auto &rule : route.rules) {
        for (const auto &match : rule.matches) {
            if (match.path.type != config::PathMatch::Type::RegularExpression && !paths.contains(match.path.value))
                paths.append(match.path.value);
        }
    }
    return paths;
}

} // namespace

ConsolePage::ConsolePage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_client(new client::ChatClient(this))
{
    if (!m_context.dataDir.isEmpty())
        m_store = std::make_unique<ConversationStore>(ConversationStore::directoryIn(m_context.dataDir));
    if (m_context.gateway) // accepted whether or not client keys are required
        m_client->setClientKey(m_context.gateway->sessionKey());
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(buildChat());
    right->addWidget(buildInspector());
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto *main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(buildSettings());
    main->addWidget(right);
    main->setStretchFactor(1, 1);
    main->setSizes({340, 760});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(main);

    connect(m_client, &client::ChatClient::responseStarted, this, &ConsolePage::onResponseStarted);
    connect(m_client, &client::ChatClient::delta, m_transcript, &TranscriptView::appendStreamed);
    connect(m_client, &client::ChatClient::reasoningDelta, m_transcript, &TranscriptView::appendReasoning);
    connect(m_conversations, &ConversationPicker::newRequested, this, &ConsolePage::clearConversation);
    connect(m_conversations, &ConversationPicker::openRequested, this, &ConsolePage::openConversation);
    connect(m_conversations, &ConversationPicker::deleted, this, [this](const QString &id) {
        if (id == m_conversation.id)
            clearConversation();
    });
    connect(m_client, &client::ChatClient::finished, this, &ConsolePage::onFinished);
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter}) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &ConsolePage::send);
    }
    if (m_context.gateway) {
        connect(m_context.gateway, &gateway::GatewayController::trafficRecorded, this, &ConsolePage::onRecord);
        connect(m_context.gateway, &gateway::GatewayController::snapshotChanged, this, &ConsolePage::reloadRoutes);
        connect(m_context.gateway, &gateway::GatewayController::stateChanged, this, &ConsolePage::reloadRoutes);
    }
    reloadRoutes();
    setBusy(false);
}

ConsolePage::~ConsolePage() = default;

QWidget *ConsolePage::buildSettings()
{
    auto *box = new QWidget(this);
    box->setMinimumWidth(320);
    auto *outer = new QVBoxLayout(box);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(form);
    outer->addStretch(1); // the settings sit at the top, not spread over the page's height
    m_route = new QComboBox(box);
    m_route->setObjectName(u"route"_s);
    m_route->setAccessibleName(tr("Route"));
    m_model = new QLineEdit(box);
    m_model->setObjectName(u"model"_s);
    m_model->setAccessibleName(tr("Model override"));
    m_model->setPlaceholderText(tr("the backend's model"));
    m_system = new QPlainTextEdit(box);
    m_system->setObjectName(u"system"_s);
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setTabChangesFocus(true);
    m_system->setMaximumHeight(90);
    m_temperature = new QDoubleSpinBox(box);
    m_temperature->setObjectName(u"temperature"_s);
    m_temperature->setAccessibleName(tr("Temperature"));
    m_temperature->setRange(-0.1, 2.0); // the minimum stands for "not sent"
    m_temperature->setSingleStep(0.1);
    m_temperature->setSpecialValueText(tr("default"));
    m_temperature->setValue(-0.1);
    m_maxTokens = new QSpinBox(box);
    m_maxTokens->setObjectName(u"maxTokens"_s);
    m_maxTokens->setAccessibleName(tr("Maximum tokens"));
    m_maxTokens->setRange(0, 200000);
    m_maxTokens->setSpecialValueText(tr("default"));
    m_stream = new QCheckBox(tr("Stream the answer"), box);
    m_stream->setObjectName(u"stream"_s);
    m_stream->setChecked(true);
    form->addRow(tr("&Route"), m_route);
    form->addRow(tr("&Model"), m_model);
    form->addRow(tr("S&ystem"), m_system);
    form->addRow(tr("&Temperature"), m_temperature);
    form->addRow(tr("Max &tokens"), m_maxTokens);
    form->addRow(QString(), m_stream);
    return box;
}

QWidget *ConsolePage::buildChat()
{
    auto *box = new QWidget(this);
    m_conversations = new ConversationPicker(m_store.get(), box);
    m_transcript = new TranscriptView(box);
    m_transcript->setObjectName(u"transcript"_s);
    m_transcript->setAccessibleName(tr("Conversation"));
    m_prompt = new QPlainTextEdit(box);
    m_prompt->setObjectName(u"prompt"_s);
    m_prompt->setAccessibleName(tr("Prompt"));
    m_prompt->setPlaceholderText(tr("Type a prompt. Ctrl+Enter sends."));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMaximumHeight(110);
    m_send = new QPushButton(tr("Send"), box);
    m_send->setObjectName(u"send"_s);
    m_send->setToolTip(tr("Send (Ctrl+Enter)"));
    m_stop = new QPushButton(tr("Stop"), box);
    m_stop->setObjectName(u"stop"_s);
    auto *clear = new QPushButton(tr("Clear"), box);
    clear->setAccessibleName(tr("Clear conversation"));
    auto *curl = new QPushButton(tr("Copy as curl"), box);
    connect(m_send, &QPushButton::clicked, this, &ConsolePage::send);
    connect(m_stop, &QPushButton::clicked, this, &ConsolePage::stop);
    connect(clear, &QPushButton::clicked, this, &ConsolePage::clearConversation);
    connect(curl, &QPushButton::clicked, this, &ConsolePage::copyAsCurl);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    buttons->addWidget(curl);
    buttons->addWidget(clear);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_conversations);
    layout->addWidget(m_transcript, 1);
    layout->addWidget(buildStats());
    layout->addWidget(m_prompt);
    layout->addLayout(buttons);
    return box;
}

QWidget *ConsolePage::buildStats()
{
    auto *box = new QWidget(this);
    m_status = new QLabel(box);
    m_status->setObjectName(u"status"_s);
    m_status->setWordWrap(true);
    m_tokens = new QLabel(box);
    m_tokens->setObjectName(u"tokens"_s);
    m_cost = new QLabel(box);
    m_cost->setObjectName(u"cost"_s);
    m_stopReason = new QLabel(box);
    m_stopReason->setObjectName(u"stopReason"_s);
    m_timing = new QLabel(box);
    m_timing->setObjectName(u"timing"_s);
    m_status->setText(tr("Token counts, stop reason and timings appear here after each answer."));
    m_statsRow = new QWidget(box);
    m_statsRow->hide(); // each answer in the transcript shows its own stats line
    auto *row = new QHBoxLayout(m_statsRow);
    row->setContentsMargins(0, 0, 0, 0);
    for (QLabel *label : {m_tokens, m_cost, m_stopReason, m_timing}) {
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Long counts and timings wrap; unwrapped they set the window's minimum width.
        label->setWordWrap(true);
        row->addWidget(label, 1);
    }
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_statsRow);
    layout->addWidget(m_status);
    return box;
}

QWidget *ConsolePage::buildInspector()
{
    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(u"inspector"_s);
    const QString titles[4] = {tr("OpenAI request"), tr("OpenAI response"), tr("Bedrock request"),
                               tr("Bedrock response")};
    for (int i = 0; i < 4; ++i) {
        m_captures[i] = new CaptureView(tabs);
        m_captures[i]->setObjectName(u"capture%1"_s.arg(i));
        m_captures[i]->setAccessibleName(titles[i]);
        tabs->addTab(m_captures[i], titles[i]);
    }
    return tabs;
}

void ConsolePage::reloadRoutes()
{
    const QString previous = m_route->currentData().toString();
    m_route->clear();
    if (m_context.gateway) {
        for (const auto &route : m_context.gateway->snapshot()->resources.routes) {
            for (const QString &path : routePaths(route))
                m_route->addItem(u"%1  (%2/%3)"_s.arg(path, route.meta.ns, route.meta.name), path);
        }
    }
    const int index = m_route->findData(previous);
    m_route->setCurrentIndex(index >= 0 ? index : 0);
}

QString ConsolePage::baseUrl() const
{
    const QString address = m_context.gateway ? m_context.gateway->address() : QString();
    return address.isEmpty() ? QString() : u"http://"_s + address;
}

client::ChatRequest ConsolePage::currentRequest() const
{
    client::ChatRequest request;
    request.url = QUrl(baseUrl() + m_route->currentData().toString());
    request.model = m_model->text().trimmed();
    request.system = m_system->toPlainText().trimmed();
    request.messages = m_history;
    const QString prompt = m_prompt->toPlainText().trimmed();
    if (!prompt.isEmpty())
        request.messages.append({u"user"_s, prompt});
    if (m_temperature->value() >= 0.0)
        request.temperature = m_temperature->value();
    if (m_maxTokens->value() > 0)
        request.maxTokens = m_maxTokens->value();
    request.stream = m_stream->isChecked();
    return request;
}

void ConsolePage::send()
{
    const QString prompt = m_prompt->toPlainText().trimmed();
    if (prompt.isEmpty() || m_client->busy())
        return;
    if (baseUrl().isEmpty() || m_route->count() == 0) {
        m_status->setText(tr("The gateway is not running or has no routes; start it on the Overview page."));
        return;
    }
    const client::ChatRequest request = currentRequest();
    m_history.append({u"user"_s, prompt});
    m_prompt->clear();
    MessageView *question = m_transcript->addMessage(MessageView::Role::User, prompt);
    ConversationTurn turn{u"user"_s, prompt, {}, {}, {}, imageDataUrls(prompt), {}};
    for (const QString &image : std::as_const(turn.images))
        question->addImage(image);
    m_transcript->addMessage(MessageView::Role::Assistant);
    if (m_conversation.title.isEmpty())
        m_conversation.title = Conversation::titleFor(prompt);
    m_conversation.system = request.system;
    m_conversation.turns.append(turn);
    m_requestId = 0;
    m_recentRecords.clear();
    m_finishReason.clear();
    m_cost->clear();
    m_bedrockStopReason.clear();
    m_sent = request;
    for (CaptureView *view : m_captures)
        view->clear();
    m_captures[0]->setRawText(QString::fromUtf8(request.toJson()));
    m_status->setText(tr("Sending to %1…").arg(request.url.toString()));
    setBusy(true);
    m_client->send(request);
}

void ConsolePage::stop()
{
    m_client->stop();
}

void ConsolePage::clearConversation()
{
    m_client->stop();
    m_history.clear();
    m_sent.reset();
    m_transcript->clear();
    m_status->clear();
    m_conversation = {}; // the one shown stays saved; the next Send starts a new one
    m_conversations->reload();
}

client::ChatRequest ConsolePage::requestToCopy() const
{
    return m_sent ? *m_sent : currentRequest();
}

void ConsolePage::copyAsCurl()
{
    QApplication::clipboard()->setText(requestToCopy().toCurl());
    m_status->setText(m_sent ? tr("Copied the last request sent as a curl command.")
                             : tr("Copied the request Send would make as a curl command."));
}

void ConsolePage::onResponseStarted(int status, quint64 requestId)
{
    m_requestId = requestId;
    m_status->setText(tr("HTTP %1, receiving…").arg(status));
    for (const auto &record : std::as_const(m_recentRecords)) {
        if (record.id == requestId)
            showRecord(record);
    }
    m_recentRecords.clear(); // kept only until this answer's record could be picked out
}

void ConsolePage::onFinished(const client::ChatOutcome &outcome)
{
    m_transcript->flush();
    setBusy(false);
    MessageView *answer = m_transcript->lastMessage(); // the one send() added for this answer
    ConversationTurn turn{u"assistant"_s, outcome.text, outcome.reasoning, outcome.toolCalls, {}, {}, {}};
    for (const client::ChatToolCall &call : outcome.toolCalls)
        answer->addToolCall(call);
    m_conversation.turns.append(turn);
    if (outcome.ok()) {
        m_history.append({u"assistant"_s, outcome.text});
        m_status->setText(tr("HTTP %1 · request #%2").arg(outcome.status).arg(outcome.requestId));
    } else {
        // The failed turn leaves the history, so the next Send is a clean retry.
        if (!m_history.isEmpty())
            m_history.removeLast();
        const QString why = outcome.cancelled ? tr("Stopped.") : tr("Error: %1").arg(outcome.error);
        m_transcript->addMessage(MessageView::Role::Notice, u"[%1]"_s.arg(why));
        m_conversation.turns.append({u"notice"_s, u"[%1]"_s.arg(why), {}, {}, {}, {}, {}});
        m_status->setText(outcome.status > 0 ? tr("HTTP %1 · %2").arg(outcome.status).arg(why) : why);
    }
    if (m_captures[1]->document()->isEmpty())
        m_captures[1]->setRawText(QString::fromUtf8(outcome.responseBody));
    showStats(outcome);
    answer->setStats(answerStatsText());
    m_conversation.turns[m_conversation.turns.size() - (outcome.ok() ? 1 : 2)].stats = answer->stats();
    saveConversation();
    Q_EMIT answerFinished(outcome);
}

void ConsolePage::showStats(const client::ChatOutcome &outcome)
{
    if (outcome.usage) {
        m_tokens->setText(tr("Tokens: %1 in · %2 out · %3 total")
                              .arg(outcome.usage->promptTotal()).arg(outcome.usage->output).arg(outcome.usage->total()));
    } else {
        m_tokens->setText(tr("Tokens: not reported"));
    }
    m_finishReason = outcome.finishReason;
    showStopReason();
    QString timing = tr("Latency %1 ms").arg(outcome.latencyMs);
    if (outcome.timeToFirstTokenMs >= 0)
        timing += tr(" · TTFT %1 ms").arg(outcome.timeToFirstTokenMs);
    // Generation speed: output tokens over the time spent producing them (after the first token).
    const qint64 generatingMs = outcome.timeToFirstTokenMs >= 0 ? outcome.latencyMs - outcome.timeToFirstTokenMs
                                                                 : outcome.latencyMs;
    if (outcome.usage && outcome.usage->output > 0 && generatingMs > 0)
        timing += tr(" · %1 tokens/s").arg(double(outcome.usage->output) * 1000.0 / double(generatingMs), 0, 'f', 1);
    m_timing->setText(timing);
}

void ConsolePage::onRecord(const telemetry::TrafficRecord &record)
{
    if (record.id != 0 && record.id == m_requestId) {
        showRecord(record);
        return;
    }
    // Other clients' traffic is the Traffic page's to keep; only a record that may belong to the
    // request in flight (its id not known yet) is held, captures and all, for a moment.
    if (!m_client->busy() || m_requestId != 0)
        return;
    m_recentRecords.append(record);
    if (m_recentRecords.size() > kRecentRecords)
        m_recentRecords.removeFirst();
}

void ConsolePage::showRecord(const telemetry::TrafficRecord &record)
{
    const QString none = tr("(Bedrock was not called)");
    m_captures[0]->setMessage(record.clientRequest, m_sent ? QString::fromUtf8(m_sent->toJson()) : QString());
    m_captures[1]->setMessage(record.clientResponse, tr("(not captured)"));
    m_captures[2]->setMessage(record.upstreamRequest, none);
    m_captures[3]->setMessage(record.upstreamResponse, none);
    m_bedrockStopReason = record.stopReason;
    showStopReason();
    m_cost->setText(record.tokens.present ? tr("Cost: %1").arg(telemetry::usdText(record.costUsd)) : QString());
    m_cost->setToolTip(record.costUsd < 0 && record.tokens.present
                           ? tr("No known price for %1 in %2: see Cost and budgets in the README to add one.")
                                 .arg(record.model, record.region)
                           : QString());
    // A record that arrives after its answer adds the cost to that answer's stats line.
    const qsizetype last = m_conversation.turns.size() - 1;
    if (!m_client->busy() && last >= 0 && m_conversation.turns.at(last).role == u"assistant"_s &&
        m_transcript->lastMessage()) {
        m_transcript->lastMessage()->setStats(answerStatsText());
        m_conversation.turns[last].stats = answerStatsText();
        saveConversation();
    }
    Q_EMIT recordShown(record.id);
}

void ConsolePage::showStopReason()
{
    QString text = tr("Stop: %1").arg(m_finishReason.isEmpty() ? u"–"_s : m_finishReason);
    if (!m_bedrockStopReason.isEmpty())
        text += tr(" (Bedrock: %1)").arg(m_bedrockStopReason);
    m_stopReason->setText(text);
}

QString ConsolePage::answerStatsText() const
{
    QStringList parts;
    for (const QLabel *label : {m_tokens, m_cost, m_stopReason, m_timing}) {
        if (!label->text().isEmpty())
            parts.append(label->text());
    }
    return parts.join(u"  ·  "_s);
}

void ConsolePage::saveConversation()
{
    if (!m_store || m_conversation.turns.isEmpty())
        return;
    const Result<Conversation> saved = m_store->save(m_conversation);
    if (!saved.ok()) {
        m_conversations->setMessage(tr("The conversation was not saved: %1").arg(saved.error()));
        return;
    }
    m_conversation = *saved;
    m_conversations->setMessage({});
    m_conversations->reload(m_conversation.id);
}

void ConsolePage::openConversation(const QString &id)
{
    if (!m_store)
        return;
    const Result<Conversation> loaded = m_store->load(id);
    if (!loaded.ok()) {
        m_conversations->setMessage(loaded.error()); // the file stays as it is, and so does the screen
        return;
    }
    showConversation(*loaded);
}

void ConsolePage::showConversation(const Conversation &conversation)
{
    m_client->stop();
    m_transcript->clear();
    m_history.clear();
    m_sent.reset();
    m_status->clear();
    // The history the next Send carries: user and assistant turns; a turn that failed (a notice
    // follows it) was never part of it.
    qsizetype lastUser = -1;
    for (const ConversationTurn &turn : conversation.turns) {
        if (turn.role == u"notice"_s) {
            m_transcript->addMessage(MessageView::Role::Notice, turn.text);
            if (lastUser >= 0)
                m_history.resize(lastUser);
            lastUser = -1;
            continue;
        }
        const bool user = turn.role == u"user"_s;
        MessageView *message = m_transcript->addMessage(user ? MessageView::Role::User : MessageView::Role::Assistant,
                                                        turn.text);
        message->setReasoning(turn.reasoning);
        for (const client::ChatToolCall &call : turn.toolCalls)
            message->addToolCall(call);
        for (const ConversationToolResult &result : turn.toolResults)
            message->addToolResult(result.toolCallId, result.content);
        for (const QString &image : turn.images)
            message->addImage(image);
        message->setStats(turn.stats);
        if (user)
            lastUser = m_history.size();
        m_history.append({user ? u"user"_s : u"assistant"_s, turn.text});
    }
    m_system->setPlainText(conversation.system);
    m_conversation = conversation;
    m_conversations->setMessage({});
    m_conversations->reload(conversation.id);
}

void ConsolePage::setBusy(bool busy)
{
    m_send->setEnabled(!busy);
    m_stop->setEnabled(busy);
}

} // namespace quarry::ui
