// Only the message being written re-renders, and only the Markdown blocks that changed in it:
// while an answer streams, that is its last block.
#include "widgets/MessageView.h"

#include "widgets/CodeBlockView.h"
#include "widgets/MarkdownBlocks.h"
#include "widgets/MarkdownTextView.h"

#include <QImage>
#include <QJsonDocument>
#include <QLabel>
#include <QPixmap>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

constexpr int kImageMaxWidth = 360;

const QRegularExpression &imageDataUrlPattern()
{
    static const QRegularExpression pattern(u"data:image/[a-zA-Z0-9.+-]+;base64,[A-Za-z0-9+/=]+"_s);
    return pattern;
}

QString prettyJson(const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    if (document.isNull())
        return text; // not JSON (or still partial): shown as the model wrote it
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace

QStringList imageDataUrls(const QString &text)
{
    QStringList urls;
    auto matches = imageDataUrlPattern().globalMatch(text);
    while (matches.hasNext())
        urls.append(matches.next().captured());
    return urls;
}

MessageView::MessageView(Role role, QWidget *parent) : QFrame(parent), m_role(role)
{
    setObjectName(role == Role::User        ? u"userMessage"_s
                  : role == Role::Assistant ? u"assistantMessage"_s
                                            : u"notice"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(4);
    if (role != Role::Notice) {
        auto *who = new QLabel(role == Role::User ? tr("You") : tr("Assistant"), this);
        QFont bold = who->font();
        bold.setBold(true);
        who->setFont(bold);
        layout->addWidget(who);
    }
    if (role == Role::User) {
        setFrameShape(QFrame::StyledPanel);
        setBackgroundRole(QPalette::AlternateBase);
        setAutoFillBackground(true);
    }
    if (role == Role::Assistant) {
        m_reasoningToggle = new QToolButton(this);
        m_reasoningToggle->setObjectName(u"reasoningToggle"_s);
        m_reasoningToggle->setText(tr("Reasoning"));
        m_reasoningToggle->setCheckable(true);
        m_reasoningToggle->setArrowType(Qt::RightArrow);
        m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        m_reasoningToggle->setAutoRaise(true);
        m_reasoningToggle->hide();
        m_reasoningView = new MarkdownTextView(this);
        m_reasoningView->setObjectName(u"reasoning"_s);
        m_reasoningView->setAccessibleName(tr("Reasoning"));
        m_reasoningView->hide(); // collapsed: most readers want the answer
        // Set apart from the answer when open: dimmed and in italics.
        QPalette dimmed = m_reasoningView->palette();
        dimmed.setColor(QPalette::Text, dimmed.color(QPalette::PlaceholderText));
        m_reasoningView->setPalette(dimmed);
        QFont italic = m_reasoningView->font();
        italic.setItalic(true);
        m_reasoningView->setFont(italic);
        connect(m_reasoningToggle, &QToolButton::toggled, this, [this](bool open) {
            m_reasoningToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
            m_reasoningView->setVisible(open);
        });
        layout->addWidget(m_reasoningToggle, 0, Qt::AlignLeft);
        layout->addWidget(m_reasoningView);
    }
    m_blocks = new QVBoxLayout;
    m_blocks->setSpacing(4);
    layout->addLayout(m_blocks);
    m_extras = new QVBoxLayout;
    m_extras->setSpacing(4);
    layout->addLayout(m_extras);
    m_stats = new QLabel(this);
    m_stats->setObjectName(u"answerStats"_s);
    m_stats->setWordWrap(true); // never wider than the transcript
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stats->setForegroundRole(QPalette::PlaceholderText);
    m_stats->hide();
    layout->addWidget(m_stats);

    m_renderTimer.setSingleShot(true);
    connect(&m_renderTimer, &QTimer::timeout, this, &MessageView::render);
}

void MessageView::setText(const QString &markdown)
{
    m_text = markdown;
    m_textDirty = true;
    render();
}

void MessageView::appendText(const QString &delta)
{
    m_text += delta;
    m_textDirty = true;
    scheduleRender();
}

void MessageView::setReasoning(const QString &text)
{
    m_reasoning = text;
    m_reasoningDirty = true;
    render();
}

void MessageView::appendReasoning(const QString &delta)
{
    m_reasoning += delta;
    m_reasoningDirty = true;
    scheduleRender();
}

void MessageView::scheduleRender()
{
    if (m_renderTimer.isActive())
        return;
    const qsizetype lastBlock =
        m_blockViews.isEmpty() ? 0 : m_text.size() / qMax<qsizetype>(1, m_blockViews.size());
    m_renderTimer.start(RenderIntervalMs + int(qMin<qsizetype>(lastBlock / 1024, 1000)));
}

void MessageView::render()
{
    m_renderTimer.stop();
    if (m_reasoningDirty && m_reasoningView) {
        m_reasoningView->setMarkdownText(m_reasoning);
        m_reasoningToggle->setVisible(!m_reasoning.isEmpty());
    }
    m_reasoningDirty = false;
    if (m_textDirty)
        renderBlocks();
    m_textDirty = false;
}

void MessageView::renderBlocks()
{
    QString shown = m_text;
    if (m_role == Role::User) { // images in a prompt are shown as images, not as base64 text
        for (const QString &url : imageDataUrls(m_text))
            shown.replace(url, tr("[image]"));
    }
    const QList<MarkdownBlock> blocks = splitMarkdown(shown);
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const MarkdownBlock &block = blocks.at(i);
        QWidget *view = i < m_blockViews.size() ? m_blockViews.at(i) : nullptr;
        const bool code = block.kind == MarkdownBlock::Kind::Code;
        if (view && (qobject_cast<CodeBlockView *>(view) != nullptr) != code) {
            m_blocks->removeWidget(view);
            delete view;
            view = nullptr;
        }
        if (!view) {
            view = code ? static_cast<QWidget *>(new CodeBlockView(this)) : new MarkdownTextView(this);
            if (i < m_blockViews.size())
                m_blockViews[i] = view;
            else
                m_blockViews.append(view);
            m_blocks->insertWidget(int(i), view);
        }
        if (code)
            static_cast<CodeBlockView *>(view)->setCode(block.text, block.language);
        else
            static_cast<MarkdownTextView *>(view)->setMarkdownText(block.text); // unchanged: returns at once
    }
    while (m_blockViews.size() > blocks.size())
        delete m_blockViews.takeLast();
}

QWidget *MessageView::toolCard(const QString &title, const QString &body)
{
    auto *card = new QFrame(this);
    card->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(card);
    layout->setContentsMargins(6, 4, 6, 4);
    auto *heading = new QLabel(title, card);
    heading->setObjectName(u"toolTitle"_s);
    heading->setWordWrap(true);
    heading->setTextFormat(Qt::PlainText);
    auto *code = new CodeBlockView(card);
    code->setCode(body, u"json"_s);
    layout->addWidget(heading);
    layout->addWidget(code);
    m_extras->addWidget(card);
    return card;
}

void MessageView::addToolCall(const client::ChatToolCall &call)
{
    const QString title = call.id.isEmpty() ? tr("Tool call: %1").arg(call.name)
                                            : tr("Tool call: %1  (%2)").arg(call.name, call.id);
    toolCard(title, prettyJson(call.arguments))->setObjectName(u"toolCall"_s);
}

void MessageView::addToolResult(const QString &toolCallId, const QString &content)
{
    toolCard(tr("Tool result for %1").arg(toolCallId), prettyJson(content))->setObjectName(u"toolResult"_s);
}

bool MessageView::addImage(const QString &dataUrl)
{
    const qsizetype comma = dataUrl.indexOf(u',');
    if (!dataUrl.startsWith(u"data:image/"_s) || comma < 0)
        return false;
    QImage image;
    if (!image.loadFromData(QByteArray::fromBase64(dataUrl.mid(comma + 1).toLatin1())))
        return false;
    auto *label = new QLabel(this);
    label->setObjectName(u"image"_s);
    label->setPixmap(QPixmap::fromImage(image.width() > kImageMaxWidth
                                            ? image.scaledToWidth(kImageMaxWidth, Qt::SmoothTransformation)
                                            : image));
    label->setToolTip(tr("%1 × %2 image").arg(image.width()).arg(image.height()));
    m_extras->addWidget(label, 0, Qt::AlignLeft);
    return true;
}

void MessageView::setStats(const QString &stats)
{
    m_stats->setText(stats);
    m_stats->setVisible(!stats.isEmpty());
}

QString MessageView::stats() const
{
    return m_stats->text();
}

QString MessageView::plainText() const
{
    switch (m_role) {
    case Role::User:
        return tr("You: %1").arg(m_text);
    case Role::Assistant:
        return tr("Assistant: %1").arg(m_text);
    case Role::Notice:
        break;
    }
    return m_text;
}

} // namespace quarry::ui
