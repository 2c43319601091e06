// The Console page: builds requests in the API style chosen (or takes them raw), streams the answer,
// and shows the matching traffic record.
#include "pages/ConsolePage.h"

#include "AppSettings.h"
#include "console/ImageAttachments.h"
#include "console/ModelListFetcher.h"
#include "console/ModelPicker.h"
#include "console/RawRequestEditor.h"
#include "console/RequestCollection.h"
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
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

constexpr qsizetype kRecentRecords = 16;

// Which item data holds what in the route picker.
constexpr int RouteBackendRole = Qt::UserRole + 1; // "namespace/name" of the route's first backend

// The client APIs the console speaks, as the API style picker lists them.
const QList<QPair<client::ChatApi, const char *>> &apiStyles()
{
    static const QList<QPair<client::ChatApi, const char *>> styles{
        {client::ChatApi::OpenAiChat, QT_TRANSLATE_NOOP("ConsolePage", "OpenAI chat completions")},
        {client::ChatApi::AnthropicMessages, QT_TRANSLATE_NOOP("ConsolePage", "Anthropic Messages")},
        {client::ChatApi::Responses, QT_TRANSLATE_NOOP("ConsolePage", "OpenAI Responses")},
        {client::ChatApi::Converse, QT_TRANSLATE_NOOP("ConsolePage", "Bedrock Converse (native)")}};
    return styles;
}

QString backendKey(const config::HttpRoute &route, const config::BackendRef &ref)
{
    return (ref.ns.isEmpty() ? route.meta.ns : ref.ns) + u'/' + ref.name;
}

// Each literal path of the route, with the backend its rule sends to first.
QList<QPair<QString, QString>> routePaths(const config::HttpRoute &route)
{
    QList<QPair<QString, QString>> paths;
    QStringList seen;
    for (const auto &rule : route.rules) {
        const QString backend = rule.backendRefs.isEmpty() ? QString() : backendKey(route, rule.backendRefs.first());
        for (const auto &match : rule.matches) {
            if (match.path.type != config::PathMatch::Type::RegularExpression && !seen.contains(match.path.value)) {
                seen.append(match.path.value);
                paths.append({match.path.value, backend});
            }
        }
    }
    return paths;
}

} // namespace

ConsolePage::ConsolePage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_client(new client::ChatClient(this))
    , m_models(new ModelListFetcher(this))
    , m_collection(std::make_unique<RequestCollection>(context.dataDir))
{
    if (!m_context.dataDir.isEmpty())
        m_store = std::make_unique<ConversationStore>(ConversationStore::directoryIn(m_context.dataDir));
    if (m_context.gateway) { // accepted whether or not client keys are required
        m_client->setClientKey(m_context.gateway->sessionKey());
        m_models->setClientKey(m_context.gateway->sessionKey());
    }
    auto *right = new QSplitter(Qt::Vertical, this);
    right->setObjectName(u"chatAndInspector"_s);
    m_chatSplitter = right;
    right->addWidget(buildChat());
    right->addWidget(buildInspector());
    right->setStretchFactor(0, 4);
    right->setStretchFactor(1, 1);
    auto *main = new QSplitter(Qt::Horizontal, this);
    main->setObjectName(u"settingsAndChat"_s);
    main->addWidget(buildSettings());
    main->addWidget(right);
    main->setStretchFactor(1, 1);
    if (!main->restoreState(AppSettings::splitterState(main->objectName())))
        main->setSizes({340, 760});
    // Where the user drags a divider is where it stays, in this window and the next.
    for (QSplitter *splitter : {main, right}) {
        connect(splitter, &QSplitter::splitterMoved, this, [splitter] {
            AppSettings::setSplitterState(splitter->objectName(), splitter->saveState());
        });
    }
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
    connect(m_models, &ModelListFetcher::listed, this, &ConsolePage::showModels);
    connect(m_models, &ModelListFetcher::failed, this, &ConsolePage::showModelProblem);
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
    reloadCollection();
    setBusy(false);
}

ConsolePage::~ConsolePage() = default;

// The conversation gets most of the height and the inspector a strip of its tabs, until the user
// drags the handle between them (remembered). Set once the page has its height: before that the
// splitter would give the inspector its size hint, and the transcript would show a handful of lines.
void ConsolePage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_chatSplitSet, true) ||
        m_chatSplitter->restoreState(AppSettings::splitterState(m_chatSplitter->objectName())))
        return;
    const int height = m_chatSplitter->height();
    m_chatSplitter->setSizes({height - height / 5, height / 5});
}

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
    m_api = new QComboBox(box);
    m_api->setObjectName(u"api"_s);
    m_api->setAccessibleName(tr("API style"));
    m_api->setToolTip(tr("The client API the request speaks: the route serves each at its own path, as a tool "
                         "using that API would call it."));
    for (const auto &[api, name] : apiStyles())
        m_api->addItem(tr(name), int(api));
    m_model = new ModelPicker(box);
    m_model->setObjectName(u"model"_s);
    m_model->setAccessibleName(tr("Model override"));
    m_model->lineEdit()->setPlaceholderText(tr("the backend's model"));
    connect(m_model, &ModelPicker::popupAboutToShow, this, [this] {
        if (!m_modelsListed)
            refreshModels();
    });
    auto *refresh = new QPushButton(tr("List"), box);
    refresh->setObjectName(u"refreshModels"_s);
    refresh->setToolTip(tr("Ask the route for its models again (GET …/v1/models)"));
    connect(refresh, &QPushButton::clicked, this, &ConsolePage::refreshModels);
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(refresh);
    m_modelStatus = new QLabel(box);
    m_modelStatus->setObjectName(u"modelStatus"_s);
    m_modelStatus->setWordWrap(true);
    m_modelStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelStatus->setText(tr("Open the list, or press List, for the route's models."));
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
    m_upstream = new QComboBox(box);
    m_upstream->setObjectName(u"upstream"_s);
    m_upstream->setAccessibleName(tr("Answered by"));
    m_upstream->addItem(tr("Bedrock, if the backend has keys"), false);
    m_upstream->addItem(tr("Simulator (nothing sent to AWS)"), true);
    m_upstream->setToolTip(tr("Simulator sends x-quarry-simulate: true, so the built-in simulator answers this "
                              "request even when the backend has keys. Without keys the simulator answers anyway."));
    for (QComboBox *picker : {m_api, m_upstream}) { // the column stays narrow; the popup shows all
        picker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        picker->setMinimumContentsLength(12);
    }
    m_rawMode = new QCheckBox(tr("Edit the raw request"), box);
    m_rawMode->setObjectName(u"rawMode"_s);
    m_rawMode->setToolTip(tr("Send the URL, headers and body as edited in the Raw request tab"));
    connect(m_rawMode, &QCheckBox::toggled, this, &ConsolePage::setRawMode);
    connect(m_route, &QComboBox::currentIndexChanged, this, [this] {
        m_modelsListed = false; // another route may serve other models
        const QString typed = m_model->currentText();
        m_model->clear();
        m_model->setEditText(typed);
    });
    form->addRow(tr("&Route"), m_route);
    form->addRow(tr("&API"), m_api);
    auto *modelLabel = new QLabel(tr("&Model"), box);
    modelLabel->setBuddy(m_model); // a row of a layout gets no buddy of its own
    form->addRow(modelLabel, modelRow);
    form->addRow(QString(), m_modelStatus);
    form->addRow(tr("Ans&wered by"), m_upstream);
    form->addRow(tr("S&ystem"), m_system);
    form->addRow(tr("&Temperature"), m_temperature);
    form->addRow(tr("Max &tokens"), m_maxTokens);
    form->addRow(QString(), m_stream);
    form->addRow(QString(), m_rawMode);
    outer->insertWidget(1, buildCollection());
    return box;
}

QWidget *ConsolePage::buildCollection()
{
    auto *box = new QWidget(this);
    m_saveName = new QLineEdit(box);
    m_saveName->setObjectName(u"saveName"_s);
    m_saveName->setAccessibleName(tr("Name to save the request under"));
    m_saveName->setPlaceholderText(tr("name"));
    auto *save = new QPushButton(tr("Save"), box);
    save->setObjectName(u"saveRequest"_s);
    save->setToolTip(tr("Save the request Send would make under this name"));
    m_saved = new QComboBox(box);
    m_saved->setObjectName(u"savedRequests"_s);
    m_saved->setAccessibleName(tr("Saved requests"));
    m_saved->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_saved->setMinimumContentsLength(9);
    auto *load = new QPushButton(tr("Load"), box);
    load->setObjectName(u"loadRequest"_s);
    auto *remove = new QPushButton(tr("Delete"), box);
    remove->setObjectName(u"deleteRequest"_s);
    m_collectionStatus = new QLabel(box);
    m_collectionStatus->setObjectName(u"collectionStatus"_s);
    m_collectionStatus->setWordWrap(true);
    m_collectionStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(save, &QPushButton::clicked, this, &ConsolePage::saveRequest);
    connect(m_saveName, &QLineEdit::returnPressed, this, &ConsolePage::saveRequest);
    connect(load, &QPushButton::clicked, this, &ConsolePage::loadSavedRequest);
    connect(remove, &QPushButton::clicked, this, &ConsolePage::deleteSavedRequest);

    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_saveName, 1);
    saveRow->addWidget(save);
    auto *loadRow = new QHBoxLayout;
    loadRow->addWidget(m_saved, 1);
    loadRow->addWidget(load);
    loadRow->addWidget(remove);
    auto *title = new QLabel(tr("<b>Saved requests</b>"), box);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->addWidget(title);
    layout->addLayout(saveRow);
    layout->addLayout(loadRow);
    layout->addWidget(m_collectionStatus);
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
    // Four lines: the transcript above gets the height; a longer prompt scrolls.
    m_prompt->setMaximumHeight(m_prompt->fontMetrics().lineSpacing() * 4 + 2 * m_prompt->frameWidth() + 8);
    m_send = new QPushButton(tr("Send"), box);
    m_send->setObjectName(u"send"_s);
    m_send->setToolTip(tr("Send (Ctrl+Enter)"));
    m_stop = new QPushButton(tr("Stop"), box);
    m_stop->setObjectName(u"stop"_s);
    auto *curl = new QPushButton(tr("Copy as…"), box);
    curl->setObjectName(u"copyAs"_s);
    curl->setMenu(buildCopyMenu());
    connect(m_send, &QPushButton::clicked, this, &ConsolePage::send);
    connect(m_stop, &QPushButton::clicked, this, &ConsolePage::stop);

    m_attachments = new ImageAttachments(box);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_attachments, 1);
    buttons->addWidget(curl); // (a fresh conversation is the picker's New)
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_conversations);
    layout->addWidget(m_transcript, 1);
    layout->addWidget(buildStats());
    layout->addWidget(m_prompt);
    layout->addLayout(buttons);
    return box;
}

QMenu *ConsolePage::buildCopyMenu()
{
    using Language = CodeSnippets::Language;
    auto *menu = new QMenu(this);
    menu->setObjectName(u"copyMenu"_s);
    const QList<QPair<Language, QString>> items{{Language::Curl, tr("curl")},
                                                {Language::Python, tr("Python")},
                                                {Language::JavaScriptSdk, tr("JavaScript (SDK)")},
                                                {Language::JavaScriptFetch, tr("JavaScript (fetch)")}};
    for (const auto &[language, name] : items) {
        QAction *action = menu->addAction(name);
        action->setData(int(language));
        connect(action, &QAction::triggered, this, [this, language] { copyAs(language); });
    }
    // The Python and SDK entries name the library they will use for the API chosen.
    connect(menu, &QMenu::aboutToShow, this, [this, menu] {
        const client::ChatApi api = requestToCopy().api;
        for (QAction *action : menu->actions()) {
            const auto language = Language(action->data().toInt());
            if (language != Language::Curl && language != Language::JavaScriptFetch)
                action->setText(CodeSnippets::languageName(language, api));
            // No SDK call speaks Anthropic's or Bedrock's API in JavaScript here: fetch is the entry.
            if (language == Language::JavaScriptSdk)
                action->setVisible(api == client::ChatApi::OpenAiChat || api == client::ChatApi::Responses);
        }
    });
    return menu;
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
    m_inspector = tabs;
    // The client side speaks whichever API style was chosen, so it is named for the client.
    const QString titles[4] = {tr("Client request"), tr("Client response"), tr("Bedrock request"),
                               tr("Bedrock response")};
    for (int i = 0; i < 4; ++i) {
        m_captures[i] = new CaptureView(tabs);
        m_captures[i]->setObjectName(u"capture%1"_s.arg(i));
        m_captures[i]->setAccessibleName(titles[i]);
        tabs->addTab(m_captures[i], titles[i]);
    }
    m_rawEditor = new RawRequestEditor;
    m_rawEditor->setObjectName(u"rawEditor"_s);
    // Scrolled when the inspector is a short strip: its URL, headers and body would otherwise set
    // the inspector's least height, and take that from the conversation.
    auto *rawTab = new QScrollArea(tabs);
    rawTab->setWidget(m_rawEditor);
    rawTab->setWidgetResizable(true);
    rawTab->setFrameShape(QFrame::NoFrame);
    m_rawTab = rawTab;
    tabs->addTab(rawTab, tr("Raw request"));
    return tabs;
}

void ConsolePage::reloadRoutes()
{
    const QString previous = m_route->currentData().toString();
    m_route->clear();
    if (m_context.gateway) {
        for (const auto &route : m_context.gateway->snapshot()->resources.routes) {
            for (const auto &[path, backend] : routePaths(route)) {
                m_route->addItem(u"%1  (%2/%3)"_s.arg(path, route.meta.ns, route.meta.name), path);
                m_route->setItemData(m_route->count() - 1, backend, RouteBackendRole);
            }
        }
    }
    const int index = m_route->findData(previous);
    const QSignalBlocker quiet(m_route); // one model list per reload, asked for below
    m_route->setCurrentIndex(index >= 0 ? index : 0);
    const QString model = routeBackendModel();
    m_model->lineEdit()->setPlaceholderText(model.isEmpty() ? tr("the request's model") : model);
}

QString ConsolePage::routeBackendModel() const
{
    if (!m_context.gateway)
        return {};
    return m_context.gateway->backendStatuses().value(m_route->currentData(RouteBackendRole).toString()).model;
}

void ConsolePage::refreshModels()
{
    if (baseUrl().isEmpty() || m_route->count() == 0) {
        showModelProblem(tr("the gateway is not running"));
        return;
    }
    m_modelsListed = true; // asked; List asks again
    m_modelStatus->setText(tr("Listing the route's models…"));
    m_models->fetch(QUrl(baseUrl() + m_route->currentData().toString()));
}

void ConsolePage::showModels(const QStringList &models)
{
    const QString typed = m_model->currentText(); // the list changes; what the user typed stays
    m_model->clear();
    m_model->addItems(models);
    m_model->setEditText(typed);
    m_modelStatus->setText(models.isEmpty() ? tr("The route lists no models; type an id.")
                                            : tr("%n model(s) listed; any other id may be typed.", nullptr,
                                                 int(models.size())));
    Q_EMIT modelsListed();
}

void ConsolePage::showModelProblem(const QString &problem)
{
    m_modelsListed = false; // the next look at the list asks again
    m_modelStatus->setText(tr("Could not list models (%1). Type a model id, or leave it empty for the "
                              "backend's.").arg(problem));
    Q_EMIT modelsListed();
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
    request.api = client::ChatApi(m_api->currentData().toInt());
    request.model = m_model->currentText().trimmed();
    // Converse names the model in its path, so it cannot leave the choice to the backend.
    if (request.api == client::ChatApi::Converse && request.model.isEmpty())
        request.model = routeBackendModel();
    request.system = m_system->toPlainText().trimmed();
    request.messages = m_history;
    if (const client::ChatMessage next = nextUserTurn(); !next.content.isEmpty() || !next.images.isEmpty())
        request.messages.append(next);
    if (m_temperature->value() >= 0.0)
        request.temperature = m_temperature->value();
    if (m_maxTokens->value() > 0)
        request.maxTokens = m_maxTokens->value();
    request.stream = m_stream->isChecked();
    request.simulate = m_upstream->currentData().toBool();
    return request;
}

void ConsolePage::send()
{
    if (m_client->busy())
        return;
    if (m_rawMode->isChecked()) {
        sendRaw();
        return;
    }
    const client::ChatMessage next = nextUserTurn();
    if (next.content.isEmpty() && next.images.isEmpty())
        return;
    if (baseUrl().isEmpty() || m_route->count() == 0) {
        m_status->setText(tr("The gateway is not running or has no routes; start it on the Overview page."));
        return;
    }
    const client::ChatRequest request = currentRequest();
    if (request.api == client::ChatApi::Converse && request.model.isEmpty()) {
        m_status->setText(tr("Converse names the model in its URL: pick or type one."));
        return;
    }
    m_history.append(next);
    m_prompt->clear();
    m_attachments->clear();
    MessageView *question = m_transcript->addMessage(MessageView::Role::User, next.content);
    for (const QString &image : next.images)
        question->addImage(image);
    if (m_conversation.title.isEmpty())
        m_conversation.title = Conversation::titleFor(next.content.isEmpty() ? tr("Image") : next.content);
    m_conversation.system = request.system;
    m_conversation.turns.append({u"user"_s, next.content, {}, {}, {}, next.images, {}});
    startSending(request.toRaw(), true);
}

// The prompt as the next user turn: its text and the attached images. An image pasted into the
// text as a data: URL moves out of it into the images: sent as text, the model would read base64.
client::ChatMessage ConsolePage::nextUserTurn() const
{
    QString text = m_prompt->toPlainText();
    QStringList images = m_attachments->dataUrls();
    for (const QString &url : imageDataUrls(text)) {
        text.remove(url);
        images.append(url);
    }
    return {u"user"_s, text.trimmed(), images};
}

void ConsolePage::sendRaw()
{
    QString error;
    const std::optional<client::RawRequest> request = m_rawEditor->request(&error);
    if (!request) {
        m_inspector->setCurrentWidget(m_rawTab); // where the mistake is
        m_status->setText(error);
        return;
    }
    m_transcript->addMessage(MessageView::Role::User, tr("[raw request: POST %1]").arg(request->url.path()));
    startSending(*request, false);
}

void ConsolePage::startSending(const client::RawRequest &request, bool conversationTurn)
{
    m_sentTurn = conversationTurn;
    m_transcript->addMessage(MessageView::Role::Assistant);
    forgetLastExchange();
    m_sent = request;
    m_captures[0]->setRawText(QString::fromUtf8(request.body));
    m_status->setText(tr("Sending to %1…").arg(request.url.toString()));
    setBusy(true);
    m_client->send(request);
}

void ConsolePage::stop()
{
    m_client->stop();
}

// The inspector and the stats show the last request sent; a conversation opened or cleared has
// none, and showing the previous one's would pass it off as this conversation's.
void ConsolePage::forgetLastExchange()
{
    m_requestId = 0;
    m_recentRecords.clear();
    m_sent.reset();
    m_finishReason.clear();
    m_bedrockStopReason.clear();
    for (QLabel *label : {m_tokens, m_cost, m_stopReason, m_timing})
        label->clear();
    for (CaptureView *view : m_captures)
        view->clear();
}

void ConsolePage::clearConversation()
{
    m_client->stop();
    m_history.clear();
    forgetLastExchange();
    m_transcript->clear();
    m_status->clear();
    m_conversation = {}; // the one shown stays saved; the next Send starts a new one
    m_conversations->reload();
}

client::RawRequest ConsolePage::requestToCopy() const
{
    if (m_sent)
        return *m_sent;
    if (m_rawMode->isChecked()) {
        if (const auto edited = m_rawEditor->request())
            return *edited;
    }
    return currentRequest().toRaw();
}

void ConsolePage::copyAsCurl()
{
    copyAs(CodeSnippets::Language::Curl);
}

void ConsolePage::copyAs(CodeSnippets::Language language)
{
    const client::RawRequest request = requestToCopy();
    QApplication::clipboard()->setText(CodeSnippets::generate(language, request));
    const QString name = CodeSnippets::languageName(language, request.api);
    m_status->setText(m_sent ? tr("Copied the last request sent as %1.").arg(name)
                             : tr("Copied the request Send would make as %1.").arg(name));
}

void ConsolePage::setRawMode(bool on)
{
    if (on)
        m_rawEditor->setRequest(currentRequest().toRaw()); // the request Send would have made
    showRawMode(on);
}

void ConsolePage::showRawMode(bool on)
{
    const QSignalBlocker quiet(m_rawMode);
    m_rawMode->setChecked(on);
    m_prompt->setEnabled(!on);
    if (on) {
        m_inspector->setCurrentWidget(m_rawTab);
        m_status->setText(tr("Raw mode: Send sends the Raw request tab as edited; the prompt box is not used."));
    } else {
        m_status->setText(tr("Send builds the request from the settings and the prompt."));
    }
}

bool ConsolePage::openCapturedRequest(const telemetry::TrafficRecord &record)
{
    const telemetry::CapturedMessage &captured = record.clientRequest;
    if (captured.body.isEmpty() || captured.truncated || baseUrl().isEmpty()) {
        m_status->setText(baseUrl().isEmpty() ? tr("Start the gateway to replay request #%1.").arg(record.id)
                          : captured.truncated
                              ? tr("Request #%1's body was captured only in part; it cannot be replayed.").arg(record.id)
                              : tr("Request #%1 has no captured body to replay.").arg(record.id));
        return false;
    }
    client::RawRequest request;
    // Read the answer in the API the request was made in (the route type the gateway recorded).
    const QString api = record.api.toLower();
    request.api = api.contains(u"messages"_s) ? client::ChatApi::AnthropicMessages
                  : api.contains(u"responses"_s) ? client::ChatApi::Responses
                  : record.path.contains(u"/model/"_s) ? client::ChatApi::Converse
                                                       : client::ChatApi::OpenAiChat;
    request.url = QUrl(baseUrl() + record.path);
    // Hop-by-hop and transport headers are the transport's to set again; redacted keys are
    // replaced by the console's own session key when sent.
    static const QStringList transport{u"host"_s, u"content-length"_s, u"connection"_s, u"transfer-encoding"_s,
                                       u"authorization"_s, u"x-api-key"_s, u"accept-encoding"_s};
    for (const auto &[name, value] : captured.headers()) {
        if (!transport.contains(name.toLower()))
            request.headers.append({name.toLatin1(), value.toLatin1()});
    }
    request.body = captured.body;
    m_sent.reset();
    m_rawEditor->setRequest(request);
    showRawMode(true);
    m_status->setText(tr("Loaded request #%1 (%2 %3) into the Raw request tab: edit it, then Send.")
                          .arg(record.id).arg(record.method, record.path));
    return true;
}

void ConsolePage::reloadCollection()
{
    if (!m_collection->load())
        m_collectionStatus->setText(m_collection->error());
    else if (m_collection->filePath().isEmpty())
        m_collectionStatus->setText(tr("No data directory: requests cannot be saved."));
    const QString previous = m_saved->currentText();
    m_saved->clear();
    for (const SavedRequest &request : m_collection->requests())
        m_saved->addItem(request.name);
    m_saved->setCurrentIndex(std::max(0, m_saved->findText(previous)));
}

void ConsolePage::saveRequest()
{
    std::optional<client::RawRequest> request = m_rawMode->isChecked() ? m_rawEditor->request()
                                                                       : currentRequest().toRaw();
    if (!request) {
        m_collectionStatus->setText(tr("The raw request has a mistake (see the Raw request tab); nothing was saved."));
        return;
    }
    const QString name = m_saveName->text().trimmed();
    QString path = request->url.path(QUrl::FullyEncoded);
    if (request->url.hasQuery())
        path += u'?' + request->url.query(QUrl::FullyEncoded);
    if (!m_collection->save({name, request->api, path, request->headers, request->body})) {
        m_collectionStatus->setText(m_collection->error());
        return;
    }
    reloadCollection();
    m_saved->setCurrentIndex(m_saved->findText(name));
    m_collectionStatus->setText(tr("Saved \"%1\".").arg(name));
}

void ConsolePage::loadSavedRequest()
{
    const auto saved = m_collection->find(m_saved->currentText());
    if (!saved) {
        m_collectionStatus->setText(tr("Pick a saved request to load."));
        return;
    }
    if (baseUrl().isEmpty()) {
        m_collectionStatus->setText(tr("Start the gateway to load a request: its address is part of the URL."));
        return;
    }
    m_sent.reset();
    m_rawEditor->setRequest({saved->api, QUrl(baseUrl() + saved->path), saved->headers, saved->body});
    showRawMode(true);
    m_collectionStatus->setText(tr("Loaded \"%1\" into the Raw request tab.").arg(saved->name));
}

void ConsolePage::deleteSavedRequest()
{
    const QString name = m_saved->currentText();
    if (name.isEmpty())
        return;
    if (!m_collection->remove(name)) {
        m_collectionStatus->setText(m_collection->error());
        return;
    }
    reloadCollection();
    m_collectionStatus->setText(tr("Deleted \"%1\".").arg(name));
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
    // A raw request is shown but is not a turn of the conversation (nor of what is saved).
    if (m_sentTurn)
        m_conversation.turns.append(turn);
    if (outcome.ok()) {
        if (m_sentTurn) // a raw request's answer is not part of the conversation's turns
            m_history.append({u"assistant"_s, outcome.text, {}});
        m_status->setText(tr("HTTP %1 · request #%2").arg(outcome.status).arg(outcome.requestId));
    } else {
        // The failed turn leaves the history, so the next Send is a clean retry.
        if (m_sentTurn && !m_history.isEmpty())
            m_history.removeLast();
        const QString why = outcome.cancelled ? tr("Stopped.") : tr("Error: %1").arg(outcome.error);
        m_transcript->addMessage(MessageView::Role::Notice, u"[%1]"_s.arg(why));
        if (m_sentTurn)
            m_conversation.turns.append({u"notice"_s, u"[%1]"_s.arg(why), {}, {}, {}, {}, {}});
        m_status->setText(outcome.status > 0 ? tr("HTTP %1 · %2").arg(outcome.status).arg(why) : why);
    }
    if (m_captures[1]->document()->isEmpty())
        m_captures[1]->setRawText(QString::fromUtf8(outcome.responseBody));
    showStats(outcome);
    answer->setStats(answerStatsText());
    if (m_sentTurn) {
        m_conversation.turns[m_conversation.turns.size() - (outcome.ok() ? 1 : 2)].stats = answer->stats();
        saveConversation();
    }
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
    m_captures[0]->setMessage(record.clientRequest, m_sent ? QString::fromUtf8(m_sent->body) : QString());
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
    forgetLastExchange();
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
        m_history.append({user ? u"user"_s : u"assistant"_s, turn.text, user ? turn.images : QStringList()});
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
