// Files are named by a random id, so two conversations never share a file and a title can be
// anything. Writes go through QSaveFile: a crash leaves the old file, never half a new one.
#include "console/ConversationStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

bool validId(const QString &id)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9-]{1,64}$"_s); // no path can hide in it
    return pattern.match(id).hasMatch();
}

} // namespace

ConversationStore::ConversationStore(QString directory) : m_directory(std::move(directory)) {}

QString ConversationStore::directoryIn(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"conversations"_s);
}

QString ConversationStore::pathFor(const QString &id) const
{
    return QDir(m_directory).filePath(id + u".json"_s);
}

QList<ConversationStore::Entry> ConversationStore::list() const
{
    QList<Entry> entries;
    const QFileInfoList files =
        QDir(m_directory).entryInfoList({u"*.json"_s}, QDir::Files, QDir::Time); // newest first
    for (const QFileInfo &file : files) {
        Entry entry;
        entry.id = file.completeBaseName();
        if (!validId(entry.id))
            continue; // not a file this store wrote
        const auto listed = m_listed.constFind(entry.id);
        if (listed != m_listed.cend() && listed->modified == file.lastModified() &&
            listed->size == file.size()) {
            entries.append(listed->entry);
            continue;
        }
        entry.updated = file.lastModified();
        const Result<Conversation> conversation = load(entry.id);
        if (conversation.ok()) {
            entry.title = conversation->title;
            if (conversation->updated.isValid())
                entry.updated = conversation->updated;
        } else {
            entry.error = conversation.error();
            entry.title = file.fileName();
        }
        m_listed.insert(entry.id, {file.lastModified(), file.size(), entry});
        entries.append(entry);
    }
    if (m_listed.size() > entries.size()) { // forget deleted files
        QSet<QString> present;
        for (const Entry &entry : std::as_const(entries))
            present.insert(entry.id);
        m_listed.removeIf([&present](const auto &item) { return !present.contains(item.key()); });
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry &a, const Entry &b) { return a.updated > b.updated; });
    return entries;
}

Result<Conversation> ConversationStore::load(const QString &id) const
{
    if (!validId(id))
        return Result<Conversation>::failure(u"\"%1\" is not a conversation id"_s.arg(id));
    QFile file(pathFor(id));
    if (file.size() > MaxFileBytes)
        return Result<Conversation>::failure(
            u"%1 is %2 MiB, more than a conversation may be; it was left as it is"_s.arg(file.fileName())
                .arg(file.size() / (1024 * 1024)));
    if (!file.open(QIODevice::ReadOnly))
        return Result<Conversation>::failure(
            u"cannot read %1: %2"_s.arg(file.fileName(), file.errorString()));
    Result<Conversation> conversation = Conversation::fromJson(file.read(MaxFileBytes));
    if (!conversation.ok())
        return Result<Conversation>::failure(
            u"%1 is damaged: %2. It was left as it is; delete it or fix it by hand."_s.arg(
                file.fileName(), conversation.error()));
    conversation->id = id; // the file's name is its identity, whatever the JSON says
    return conversation;
}

Result<Conversation> ConversationStore::save(Conversation conversation)
{
    if (conversation.id.isEmpty())
        conversation.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!validId(conversation.id))
        return Result<Conversation>::failure(u"\"%1\" is not a conversation id"_s.arg(conversation.id));
    const QString path = pathFor(conversation.id);
    // A file that is there but unreadable holds something the user may want back: not replaced.
    if (QFileInfo::exists(path)) {
        if (const Result<Conversation> existing = load(conversation.id); !existing.ok())
            return Result<Conversation>::failure(existing.error());
    }
    if (!QDir().mkpath(m_directory))
        return Result<Conversation>::failure(u"cannot create %1"_s.arg(m_directory));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!conversation.created.isValid())
        conversation.created = now;
    conversation.updated = now;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(conversation.toJson()) < 0 || !file.commit())
        return Result<Conversation>::failure(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    prune(conversation.id);
    return conversation;
}

Status ConversationStore::rename(const QString &id, const QString &title)
{
    Result<Conversation> conversation = load(id);
    if (!conversation.ok())
        return Status::failure(conversation.error());
    conversation->title = title.simplified();
    const Result<Conversation> saved = save(std::move(*conversation));
    return saved.ok() ? Status(Ok{}) : Status::failure(saved.error());
}

Status ConversationStore::remove(const QString &id)
{
    if (!validId(id))
        return Status::failure(u"\"%1\" is not a conversation id"_s.arg(id));
    QFile file(pathFor(id));
    if (file.exists() && !file.remove())
        return Status::failure(u"cannot delete %1: %2"_s.arg(file.fileName(), file.errorString()));
    return Ok{};
}

void ConversationStore::prune(const QString &keepId)
{
    // By the files' times (each save touches its file): nothing is parsed but what is deleted.
    const QFileInfoList files = QDir(m_directory).entryInfoList({u"*.json"_s}, QDir::Files, QDir::Time);
    int count = 0;
    qint64 bytes = 0;
    for (const QFileInfo &file : files) {
        const QString id = file.completeBaseName();
        if (!validId(id))
            continue;
        const bool overBounds = count + 1 > MaxConversations || bytes + file.size() > MaxTotalBytes;
        if (overBounds && id != keepId && load(id).ok()) {
            QFile::remove(file.filePath());
            continue;
        }
        ++count;
        bytes += file.size();
    }
}

} // namespace quarry::ui
