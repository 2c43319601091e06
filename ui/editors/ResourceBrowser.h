// The Backends and Routes pages' body: the stored resources of one kind in a list, the selected
// one in a ResourceEditor, and New / Save / Delete through ConfigStore (the CLI's code path).
// Changes from outside (`quarry apply` in a terminal) refresh the list; unsaved edits are kept.
#pragma once

#include "config/Resources.h"
#include "editors/ResourceEditor.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace quarry::config {
class ConfigStore;
}

namespace quarry::ui {

class ResourceForm;

class ResourceBrowser : public QWidget
{
    Q_OBJECT
public:
    // Takes ownership of form.
    ResourceBrowser(config::ConfigStore *store, ResourceForm *form, const QString &title,
                    QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    ResourceEditor *editor() const { return m_editor; }
    QLabel *statusLabel() const { return m_status; }
    QString currentKey() const { return m_currentKey; } // "namespace/name", empty for a new one

    // Selects a stored resource by "namespace/name"; false when there is none.
    bool select(const QString &key);

public Q_SLOTS:
    void newResource();
    bool save();
    void deleteCurrent();
    void refresh(); // re-reads the store; called on ConfigStore::changed

private:
    QWidget *buildListSide(const QString &title);
    QWidget *buildEditorSide();
    QList<config::Resource> stored() const;
    std::optional<config::Resource> storedResource(const QString &key) const;
    void onCurrentRowChanged(int row);
    void load(const QString &key);
    // Asks before a rename leaves references to the old name dangling; false when the user declines.
    bool confirmRename(const config::Resource &from, const config::Resource &to);
    void stashDraft();
    void setStatus(const QString &text, bool error = false);
    void updateWarnings();

    config::ConfigStore *m_store;
    ResourceEditor *m_editor;
    QListWidget *m_list = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_status = nullptr;
    QString m_currentKey;              // what the editor shows; empty while creating a new one
    // Unsaved edits by key ("" for a new resource not saved yet), kept when switching away.
    QHash<QString, ResourceEditor::Draft> m_drafts;
    bool m_refreshing = false;
};

} // namespace quarry::ui
