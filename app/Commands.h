// The CLI's commands, one function each; main() picks one from argv[1].
#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace quarry::cli {

int runServe(QCoreApplication &app, const QStringList &arguments);
int runApply(const QStringList &arguments);
int runGet(const QStringList &arguments);
int runDelete(const QStringList &arguments);
int runDiff(const QStringList &arguments);
int runCreate(const QStringList &arguments);
int runExport(const QStringList &arguments);
int runSimulator(QCoreApplication &app, const QStringList &arguments);
int runAuth(QCoreApplication &app, const QStringList &arguments);
int runKeys(const QStringList &arguments);
int runChat(QCoreApplication &app, const QStringList &arguments);
int runHistory(QCoreApplication &app, const QStringList &arguments);
// `quarry` / `quarry gui`: makes its own QApplication (or, with no display, runs serve).
int runGui(int argc, char **argv);

} // namespace quarry::cli
