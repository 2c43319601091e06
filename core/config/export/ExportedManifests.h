// What an export produced: the documents (each with the comments that go above it), the warnings
// about settings that did not carry over, and the kubectl commands that create the Secrets.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace quarry::config {

struct ExportedDocument
{
    QStringList comments; // lines without the leading "# "
    QJsonObject object;
};

struct ExportedManifests
{
    QStringList header; // comment lines at the top of the file
    QList<ExportedDocument> documents;
    QStringList warnings;
    QStringList secretCommands; // `kubectl create secret generic ...`, for --secrets=kubectl

    // Multi-document YAML with the header and each document's comments; the secret commands, when
    // there are any, are in the header as comments so the file stays valid YAML.
    QByteArray yaml() const;
    // One document alone, with its comments (for one file per resource).
    static QByteArray yaml(const ExportedDocument &document);
    // A shell script of the secret commands.
    QByteArray secretScript() const;
};

} // namespace quarry::config
