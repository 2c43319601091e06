// Choosing an entry opens it; the current conversation is selected again after every save.
#include "console/ConversationPicker.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

ConversationPicker::ConversationPicker(ConversationStore *store, QWidget *parent)
    : QWidget(parent), m_store(store)
{
    m_list = new QComboBox(this);
    m_list->setObjectName(u"conversations"_s);
    m_list->setAccessibleName(tr("Saved conversations"));
    m_list->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_list->setMinimumContentsLength(12); // long titles are cut in the closed box, not the window
    m_list->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_new = new QPushButton(tr("New"), this);
    m_new->setObjectName(u"newConversation"_s);
    m_new->setAccessibleName(tr("New conversation"));
    m_rename = new QPushButton(tr("Rename…"), this);
    m_rename->setObjectName(u"renameConversation"_s);
    m_delete = new QPushButton(tr("Delete…"), this);
    m_delete->setObjectName(u"deleteConversation"_s);
    m_message = new QLabel(this);
    m_message->setObjectName(u"conversationMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_list, 1);
    row->addWidget(m_new);
    row->addWidget(m_rename);
    row->addWidget(m_delete);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_message);

    connect(m_new, &QPushButton::clicked, this, &ConversationPicker::newRequested);
    connect(m_rename, &QPushButton::clicked, this, &ConversationPicker::renameCurrent);
    connect(m_delete, &QPushButton::clicked, this, &ConversationPicker::deleteCurrent);
    connect(m_list, &QComboBox::activated, this, [this](int) {
        if (!m_reloading && !currentId().isEmpty())
            Q_EMIT openRequested(currentId());
    });
    connect(m_list, &QComboBox::currentIndexChanged, this, &ConversationPicker::updateButtons);
    reload();
}

void ConversationPicker::reload(const QString &currentId)
{
    m_reloading = true;
    m_list->clear();
    if (!m_store) {
        m_list->addItem(tr("Conversations are not saved (no data directory)"));
        m_list->setEnabled(false);
    } else {
        m_list->addItem(tr("New conversation"), QString());
        const QLocale locale;
        for (const ConversationStore::Entry &entry : m_store->list()) {
            const QString when = locale.toString(entry.updated.toLocalTime(), QLocale::ShortFormat);
            const QString label =
                entry.error.isEmpty()
                    ? u"%1 — %2"_s.arg(entry.title.isEmpty() ? tr("(untitled)") : entry.title, when)
                    : tr("%1 (unreadable)").arg(entry.title);
            m_list->addItem(label, entry.id);
            m_list->setItemData(m_list->count() - 1, entry.error.isEmpty() ? label : entry.error,
                                Qt::ToolTipRole);
        }
        const int index = currentId.isEmpty() ? 0 : m_list->findData(currentId);
        m_list->setCurrentIndex(qMax(0, index));
    }
    m_reloading = false;
    updateButtons();
}

QString ConversationPicker::currentId() const
{
    return m_list->currentData().toString();
}

void ConversationPicker::setMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void ConversationPicker::updateButtons()
{
    const bool chosen = m_store && !currentId().isEmpty();
    m_new->setEnabled(m_store != nullptr);
    m_rename->setEnabled(chosen);
    m_delete->setEnabled(chosen);
}

void ConversationPicker::renameCurrent()
{
    const QString id = currentId();
    if (!m_store || id.isEmpty())
        return;
    const Result<Conversation> conversation = m_store->load(id);
    if (!conversation.ok())
        return setMessage(conversation.error());
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename conversation"), tr("Title:"),
                                                QLineEdit::Normal, conversation->title, &ok);
    if (ok)
        renameCurrentTo(title);
}

void ConversationPicker::renameCurrentTo(const QString &title)
{
    const QString id = currentId();
    if (!m_store || id.isEmpty() || title.trimmed().isEmpty())
        return;
    const Status renamed = m_store->rename(id, title);
    setMessage(renamed.ok() ? QString() : renamed.error());
    reload(id);
}

void ConversationPicker::deleteCurrent()
{
    const QString id = currentId();
    if (!m_store || id.isEmpty())
        return;
    const auto answer =
        QMessageBox::question(this, tr("Delete conversation"),
                              tr("Delete “%1”? This cannot be undone.").arg(m_list->currentText()));
    if (answer == QMessageBox::Yes)
        removeCurrent();
}

void ConversationPicker::removeCurrent()
{
    const QString id = currentId();
    if (!m_store || id.isEmpty())
        return;
    const Status removed = m_store->remove(id);
    setMessage(removed.ok() ? QString() : removed.error());
    reload();
    if (removed.ok())
        Q_EMIT deleted(id);
}

} // namespace quarry::ui
