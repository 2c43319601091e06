// Console conversations on disk: one JSON file each in <data dir>/conversations, written
// atomically (QSaveFile), listed newest first, renamed, deleted, and kept within bounds.
#pragma once

#include "console/Conversation.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace quarry::ui {

class ConversationStore
{
public:
    // Bounds: at most MaxConversations files and MaxTotalBytes together; after each save the
    // least recently updated readable conversations are deleted until both hold. A file that
    // cannot be read is never pruned or overwritten: it stays, listed as unreadable, until the
    // user deletes it. A file over MaxFileBytes is not read (it is reported instead).
    static constexpr int MaxConversations = 100;
    static constexpr qint64 MaxTotalBytes = 64LL * 1024 * 1024;
    static constexpr qint64 MaxFileBytes = 16LL * 1024 * 1024;

    struct Entry
    {
        QString id;
        QString title;
        QDateTime updated;
        QString error; // why the file cannot be opened; empty when it can
    };

    explicit ConversationStore(QString directory); // <data dir>/conversations; made on first save
    static QString directoryIn(const QString &dataDir);

    QString directory() const { return m_directory; }
    QList<Entry> list() const; // newest first
    Result<Conversation> load(const QString &id) const;
    // Gives the conversation an id when it has none, stamps it updated, writes it, then prunes.
    Result<Conversation> save(Conversation conversation);
    Status rename(const QString &id, const QString &title);
    Status remove(const QString &id);

private:
    QString pathFor(const QString &id) const;
    void prune(const QString &keepId);

    QString m_directory;
    // list() reads a file again only when its time or size changed: the Console lists after every
    // answer, and parsing up to MaxTotalBytes of JSON each time would stall the window.
    struct Listed
    {
        QDateTime modified;
        qint64 size = 0;
        Entry entry;
    };
    mutable QHash<QString, Listed> m_listed; // by id; at most as many as there are files
};

} // namespace quarry::ui
