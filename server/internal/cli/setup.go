package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"canale/server/internal/config"
	"canale/server/internal/credential"
	"canale/shared/api"
)

// runSetupInit creates the schema if needed and creates or re-keys the
// administrator, printing "login: …" and "password: …" for scripts to read.
func runSetupInit(ctx context.Context, args []string, io IO) error {
	fs := flag.NewFlagSet("setup init", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	login := fs.String("login", "admin", "administrator login to create or re-key")
	password := fs.String("password", "", "password to set (default: a new random one)")
	cfg, err := config.ParseFlags(fs, args, io.Getenv)
	if err != nil {
		return err
	}
	if *password == "" {
		*password = credential.NewPassword(22)
	} else if len(*password) < 10 {
		return errors.New("--password: at least 10 characters")
	}
	hash, err := credential.HashPassword(*password)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg, cfg.Logger(io.Err))
	if err != nil {
		return err
	}
	defer db.Close()
	s := db.Store
	if _, _, err := s.UpsertAdmin(ctx, api.SystemActor("setup init"), *login, api.RoleAdmin, hash); err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "login: %s\npassword: %s\n", *login, *password)
	return nil
}

// runSetupReset wipes every Canale table after a confirmation (or --yes).
func runSetupReset(ctx context.Context, args []string, io IO) error {
	fs := flag.NewFlagSet("setup reset", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	cfg, err := config.ParseFlags(fs, args, io.Getenv)
	if err != nil {
		return err
	}
	if !*yes && !confirm(io, "This deletes ALL Canale data (channels, subscribers, admins...). Type 'yes' to go on: ") {
		return errors.New("reset cancelled")
	}
	db, err := openMigrated(ctx, cfg, cfg.Logger(io.Err))
	if err != nil {
		return err
	}
	defer db.Close()
	s := db.Store
	if err := s.Reset(ctx); err != nil {
		return err
	}
	fmt.Fprintln(io.Out, "all Canale data deleted; run `canale setup init` to create an administrator")
	return nil
}

func confirm(io IO, prompt string) bool {
	fmt.Fprint(io.Err, prompt)
	line, _ := bufio.NewReader(io.In).ReadString('\n')
	return strings.TrimSpace(strings.ToLower(line)) == "yes"
}
