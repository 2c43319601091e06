// The Console's saved conversations: a list to reopen one from, and New, Rename and Delete.
#pragma once

#include "console/ConversationStore.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace quarry::ui {

class ConversationPicker : public QWidget
{
    Q_OBJECT
public:
    // store may be null (no data directory): the picker then says conversations are not kept.
    explicit ConversationPicker(ConversationStore *store, QWidget *parent = nullptr);

    void reload(const QString &currentId = {}); // after a save: the list and the current entry
    QString currentId() const;
    void setMessage(const QString &message); // an error the user should see, e.g. a damaged file

public Q_SLOTS:
    void renameCurrent(); // asks for the new title, then renameCurrentTo()
    void deleteCurrent(); // asks first, then removeCurrent()
    void renameCurrentTo(const QString &title);
    void removeCurrent();

Q_SIGNALS:
    void openRequested(const QString &id);
    void newRequested();
    void deleted(const QString &id);

private:
    void updateButtons();

    ConversationStore *m_store;
    QComboBox *m_list = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_delete = nullptr;
    QLabel *m_message = nullptr;
    bool m_reloading = false;
};

} // namespace quarry::ui
