// List + editor + actions for one kind of stored resource.
#include "editors/ResourceBrowser.h"

#include "Confirm.h"

#include "aws/credentials/AwsConfigFiles.h"
#include "config/ConfigStore.h"
#include "config/ManifestWriter.h"
#include "config/ReferenceCheck.h"
#include "editors/ResourceEditor.h"
#include "editors/ResourceForm.h"
#include "secrets/SecretCatalog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

namespace {

QString keyOf(const ObjectMeta &meta)
{
    return meta.ns + u'/' + meta.name;
}

constexpr int kKeyRole = Qt::UserRole;

// The set as it would be once `resource` is saved (replacing the stored one of its name).
template<typename T>
void upsert(QList<T> &list, const T &item)
{
    for (T &existing : list) {
        if (existing.meta.ns == item.meta.ns && existing.meta.name == item.meta.name) {
            existing = item;
            return;
        }
    }
    list.append(item);
}

ResourceSet withResource(ResourceSet set, const Resource &resource)
{
    if (const auto *route = resource.as<HttpRoute>())
        upsert(set.routes, *route);
    else if (const auto *backend = resource.as<AiBackend>())
        upsert(set.backends, *backend);
    return set;
}

// What the form's pickers list. Names only: the keychain catalogue and the AWS files are read for
// names, never for a credential.
FormChoices choicesFrom(const ConfigStore &store)
{
    FormChoices choices;
    choices.resources = store.snapshot();
    if (!choices.resources.gateways.isEmpty())
        choices.gatewayName = choices.resources.gateways.first().meta.name;
    for (const auto &entry : secrets::SecretCatalog(store.configDir()).entries())
        choices.secrets.append(entry.id.toString());
    if (const auto files = aws::AwsConfigFiles::load(aws::CredentialContext{}); files.ok())
        choices.awsProfiles = files->profileNames();
    return choices;
}

} // namespace

ResourceBrowser::ResourceBrowser(ConfigStore *store, ResourceForm *form, const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_editor(new ResourceEditor(form, this))
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildListSide(title));
    splitter->addWidget(buildEditorSide());
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({160, 840}); // resource names are short; the editor needs the room
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_list, &QListWidget::currentRowChanged, this, &ResourceBrowser::onCurrentRowChanged);
    connect(m_new, &QPushButton::clicked, this, &ResourceBrowser::newResource);
    connect(m_delete, &QPushButton::clicked, this, &ResourceBrowser::deleteCurrent);
    connect(m_save, &QPushButton::clicked, this, &ResourceBrowser::save);
    connect(m_editor, &ResourceEditor::modifiedChanged, this, [this](bool modified) {
        // Disabling a focused Save hands the keyboard to the next button, New, where the next
        // Enter would start a resource: the list of resources takes it instead.
        const bool saveHadFocus = m_save->hasFocus();
        m_save->setEnabled(modified);
        if (saveHadFocus && !modified)
            m_list->setFocus(Qt::OtherFocusReason);
        if (modified)
            setStatus(u"Unsaved changes"_s);
        else if (m_status->text() == u"Unsaved changes"_s)
            setStatus(QString()); // every edit undone
    });
    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    saveShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(saveShortcut, &QShortcut::activated, this, &ResourceBrowser::save);
    connect(m_editor, &ResourceEditor::currentChanged, this, &ResourceBrowser::updateWarnings);
    connect(m_store, &ConfigStore::changed, this, &ResourceBrowser::refresh);
    connect(m_store, &ConfigStore::loadFailed, this, [this](const QString &error) { setStatus(error, true); });
    refresh();
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newResource();
}

QWidget *ResourceBrowser::buildListSide(const QString &title)
{
    auto *side = new QWidget(this);
    auto *layout = new QVBoxLayout(side);
    layout->setContentsMargins(0, 0, 6, 0);
    auto *heading = new QLabel(title, side);
    m_list = new QListWidget(side);
    m_list->setAccessibleName(title);
    // The style shows no sign of a focused list whose current row is selected: the frame turns the
    // highlight colour instead, so the keyboard can be seen there (Save hands it to the list).
    m_list->setStyleSheet(u"QListWidget { border: 1px solid palette(mid); }"
                          u"QListWidget:focus { border: 1px solid palette(highlight); }"_s);
    side->setMaximumWidth(260); // names are short; the form and the YAML need the room
    heading->setBuddy(m_list);
    auto *buttons = new QHBoxLayout;
    m_new = new QPushButton(u"&New"_s, side);
    m_delete = new QPushButton(u"&Delete"_s, side);
    m_new->setAccessibleName(u"New %1"_s.arg(title));
    m_delete->setAccessibleName(u"Delete selected"_s);
    buttons->addWidget(m_new);
    buttons->addWidget(m_delete);
    layout->addWidget(heading);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    return side;
}

QWidget *ResourceBrowser::buildEditorSide()
{
    auto *side = new QWidget(this);
    auto *layout = new QVBoxLayout(side);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addWidget(m_editor, 1);
    auto *bar = new QHBoxLayout;
    m_status = new QLabel(side);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(u"Save status"_s);
    m_save = new QPushButton(u"&Save"_s, side);
    m_save->setToolTip(u"Write to resources.yaml, as `quarry apply` does (Ctrl+S)"_s);
    m_save->setEnabled(false);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_save);
    layout->addLayout(bar);
    return side;
}

QList<Resource> ResourceBrowser::stored() const
{
    QList<Resource> result;
    for (const Resource &resource : ManifestWriter::resources(m_store->snapshot())) {
        if (resource.kind() == m_editor->form()->kind())
            result.append(resource);
    }
    return result;
}

std::optional<Resource> ResourceBrowser::storedResource(const QString &key) const
{
    for (const Resource &resource : stored()) {
        if (keyOf(resource.meta()) == key)
            return resource;
    }
    return std::nullopt;
}

bool ResourceBrowser::select(const QString &key)
{
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(kKeyRole).toString() == key) {
            m_list->setCurrentRow(row);
            return true;
        }
    }
    return false;
}

void ResourceBrowser::refresh()
{
    m_editor->form()->setChoices(choicesFrom(*m_store));
    m_refreshing = true;
    m_list->clear();
    for (const Resource &resource : stored()) {
        const QString key = keyOf(resource.meta());
        const bool draft = m_drafts.contains(key) || (key == m_currentKey && m_editor->isModified());
        auto *item = new QListWidgetItem(resource.meta().name + (draft ? u" \u2022"_s : QString()), m_list);
        item->setData(kKeyRole, key);
        item->setToolTip(u"%1 (namespace %2)%3"_s.arg(resource.meta().name, resource.meta().ns,
                                                       draft ? u", unsaved changes"_s : QString()));
    }
    if ((m_currentKey.isEmpty() && m_editor->isModified()) || m_drafts.contains(QString())) {
        auto *item = new QListWidgetItem(u"(new, unsaved)"_s, m_list);
        item->setData(kKeyRole, QString());
    }
    select(m_currentKey);
    m_refreshing = false;
    // What is on screen follows the store unless the user has unsaved edits there.
    if (!m_currentKey.isEmpty() && !m_editor->isModified()) {
        if (const auto current = storedResource(m_currentKey))
            m_editor->setResource(*current);
    }
    updateWarnings(); // another resource may have appeared or gone
}

void ResourceBrowser::onCurrentRowChanged(int row)
{
    if (m_refreshing || row < 0)
        return;
    const QString key = m_list->item(row)->data(kKeyRole).toString();
    if (key == m_currentKey)
        return;
    stashDraft();
    load(key);
}

void ResourceBrowser::stashDraft()
{
    if (m_editor->isModified())
        m_drafts.insert(m_currentKey, m_editor->draft());
}

void ResourceBrowser::load(const QString &key)
{
    // The whole draft comes back, form and YAML together; restoring only the YAML over the stored
    // resource left the form showing stored values while Save failed on the draft's.
    const bool hasDraft = m_drafts.contains(key);
    if (key.isEmpty()) { // the "(new, unsaved)" entry
        if (!hasDraft)
            return;
        m_currentKey.clear();
        m_editor->restore(m_drafts.take(key));
        m_editor->setModified(true); // nothing stored to compare with
        m_delete->setEnabled(false);
        setStatus(u"New resource: fill in the form (or paste YAML) and Save"_s);
        return;
    }
    const auto resource = storedResource(key);
    if (!resource)
        return;
    m_currentKey = key;
    m_editor->setResource(*resource); // what a draft is compared with: undoing all of it is no change
    if (hasDraft)
        m_editor->restore(m_drafts.take(key));
    m_delete->setEnabled(true);
    setStatus(hasDraft ? u"Unsaved changes"_s : QString());
}

void ResourceBrowser::newResource()
{
    stashDraft();
    m_drafts.remove(QString()); // "New" starts from blank, also when an unsaved new one is waiting
    m_currentKey.clear();
    m_editor->setResource(m_editor->form()->blank());
    m_editor->setModified(true);
    m_delete->setEnabled(false);
    refresh();
    setStatus(u"New resource: fill in the form (or paste YAML) and Save"_s);
    m_editor->form()->setFocus();
}

bool ResourceBrowser::save()
{
    m_editor->syncFromYaml(); // pending YAML typing counts
    const auto resource = m_editor->resource();
    if (!resource) {
        setStatus(u"Not saved: fix the error shown above first"_s, true); // the message is on screen already
        return false;
    }
    // A new name or namespace for a stored resource is a move: the old one goes once the new one is
    // saved, so the list does not grow a copy.
    const QString newKey = keyOf(resource->meta());
    const auto renamedFrom =
        m_currentKey.isEmpty() || newKey == m_currentKey ? std::nullopt : storedResource(m_currentKey);
    if (renamedFrom && !confirmRename(*renamedFrom, *resource))
        return false;
    if (const Status applied = m_store->apply({*resource}); !applied.ok()) {
        m_editor->showError(applied.error());
        setStatus(u"Not saved: "_s + applied.error(), true);
        return false;
    }
    QString removeError;
    if (renamedFrom) {
        const ObjectMeta &old = renamedFrom->meta();
        if (const Status removed = m_store->remove(renamedFrom->kind(), old.ns, old.name); !removed.ok())
            removeError = removed.error();
    }
    m_drafts.remove(m_currentKey); // "" when it was a new one
    m_currentKey = newKey;
    m_drafts.remove(m_currentKey);
    m_editor->setModified(false);
    m_delete->setEnabled(true);
    refresh();
    if (!removeError.isEmpty())
        setStatus(
            u"Saved as %1, but the old one is still there: %2"_s.arg(resource->meta().name, removeError),
            true);
    else if (renamedFrom)
        setStatus(u"Renamed %1 to %2 in %3"_s.arg(renamedFrom->meta().name, resource->meta().name,
                                                  m_store->filePath()));
    else
        setStatus(u"Saved to %1"_s.arg(m_store->filePath()));
    return true;
}

bool ResourceBrowser::confirmRename(const Resource &from, const Resource &to)
{
    // What would point at nothing once `from` is gone: references that are fine now and dangle after.
    QSet<QString> knownSecrets;
    for (const auto &entry : secrets::SecretCatalog(m_store->configDir()).entries())
        knownSecrets.insert(entry.id.toString());
    ResourceSet after = withResource(m_store->snapshot(), to);
    after.routes.removeIf([&](const HttpRoute &route) {
        return from.kind() == ResourceKind::HttpRoute && keyOf(route.meta) == keyOf(from.meta());
    });
    after.backends.removeIf([&](const AiBackend &backend) {
        return from.kind() == ResourceKind::Backend && keyOf(backend.meta) == keyOf(from.meta());
    });
    QSet<QString> before;
    for (const auto &warning : ReferenceCheck::check(m_store->snapshot(), knownSecrets))
        before.insert(warning.name + u'|' + warning.path);
    QStringList referrers;
    for (const auto &warning : ReferenceCheck::check(after, knownSecrets)) {
        if (warning.target == keyOf(from.meta()) && !before.contains(warning.name + u'|' + warning.path))
            referrers.append(u"%1 (%2)"_s.arg(warning.name, warning.path));
    }
    if (referrers.isEmpty())
        return true;
    if (confirm(this, u"confirmRename"_s, u"Rename"_s,
                u"%1 is referenced by:\n%2\n\nAfter the rename they point to a resource that no longer "
                "exists. Rename anyway?"_s.arg(from.meta().name, referrers.join(u'\n'))))
        return true;
    setStatus(u"Not renamed"_s);
    return false;
}

void ResourceBrowser::deleteCurrent()
{
    const auto resource = storedResource(m_currentKey);
    if (!resource)
        return;
    const auto answer = QMessageBox::question(
        this, u"Delete"_s, u"Delete %1 from the configuration?"_s.arg(resource->meta().name));
    if (answer != QMessageBox::Yes)
        return;
    if (const Status removed = m_store->remove(resource->kind(), resource->meta().ns, resource->meta().name);
        !removed.ok()) {
        setStatus(removed.error(), true);
        return;
    }
    m_drafts.remove(m_currentKey);
    m_currentKey.clear();
    m_editor->setModified(false);
    refresh();
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newResource();
    setStatus(u"Deleted %1"_s.arg(resource->meta().name));
}

void ResourceBrowser::updateWarnings()
{
    const auto resource = m_editor->resource();
    if (!resource) {
        m_editor->setWarnings({}); // the error says what is wrong first
        return;
    }
    // Key names only: the catalogue never holds values, and reading it never touches the keychain.
    QSet<QString> knownSecrets;
    for (const auto &entry : secrets::SecretCatalog(m_store->configDir()).entries())
        knownSecrets.insert(entry.id.toString());
    const ObjectMeta &meta = resource->meta();
    QStringList lines = m_editor->form()->warningsFor(*resource);
    for (const auto &warning : ReferenceCheck::check(withResource(m_store->snapshot(), *resource), knownSecrets)) {
        if (warning.isAbout(resource->kind(), meta.ns, meta.name))
            lines.append(warning.message);
    }
    m_editor->setWarnings(lines);
}

void ResourceBrowser::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"QLabel { color: #e0443e; }"_s : QString());
}

} // namespace quarry::ui
