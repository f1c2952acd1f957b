/** A user's application on the module path: it reads Sockwave through its module, as published. */
module example.echo {
    requires io.sockwave;

    exports example.echo;
}
